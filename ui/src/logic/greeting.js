// Pure: which greeting fits the hour of the day (the key under greeting.* in the locale files).

export function greetingKey(hour) {
  if (hour >= 5 && hour < 11) return 'greeting.morning';
  if (hour >= 11 && hour < 13) return 'greeting.noon';
  if (hour >= 13 && hour < 18) return 'greeting.afternoon';
  return 'greeting.evening';
}
