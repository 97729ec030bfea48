#!/usr/bin/env bash
# Generate Rapport's icons from one source image.
#
#   scripts/icons.sh            derive every size from icons/source.png (drawing it first if missing)
#   scripts/icons.sh --redraw   redraw icons/source.png from the primitives below, then derive
#
# The mark: a rounded square in a teal→indigo gradient with two overlapping speech bubbles (a
# conversation with a customer). It is drawn with ImageMagick primitives because ImageMagick 6 on
# Debian cannot rasterise SVG without extra delegates. To use a designer's artwork instead, replace
# icons/source.png (square, ≥ 512 px, transparent corners) and run this script without --redraw.
#
# Every PNG is written as PNG32 (8-bit RGBA): tauri::generate_context! refuses any other kind.
# Needs ImageMagick (`apt-get install imagemagick`); after changing icons, touch
# src-tauri/tauri.conf.json so the app picks them up on the next build.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ICONS="$ROOT/icons"
SOURCE="$ICONS/source.png"

# Prefer the real ImageMagick binary over any wrapper earlier on PATH.
CONVERT=""
for c in /usr/bin/convert /usr/bin/convert-im6.q16 magick convert; do
    if command -v "$c" >/dev/null 2>&1 && "$c" -version 2>/dev/null | grep -q ImageMagick; then
        CONVERT="$c"
        break
    fi
done
if [[ -z "$CONVERT" ]]; then
    echo "icons.sh: ImageMagick is needed (sudo apt-get install imagemagick)" >&2
    exit 1
fi

draw_source() {
    local tmp
    tmp="$(mktemp -d)"
    trap 'rm -rf "$tmp"' RETURN
    local S=1024
    # Background: a diagonal teal → indigo gradient, cut to a rounded square.
    "$CONVERT" -size ${S}x${S} xc:none \
        -sparse-color Barycentric "0,0 #14b8a6  $((S - 1)),$((S - 1)) #4338ca" \
        "$tmp/gradient.png"
    "$CONVERT" -size ${S}x${S} xc:none -fill white \
        -draw "roundrectangle 56,56 967,967 210,210" "$tmp/mask.png"
    "$CONVERT" "$tmp/gradient.png" "$tmp/mask.png" -alpha off -compose CopyOpacity -composite \
        "$tmp/base.png"
    # A soft shadow under the front bubble keeps the two shapes apart at small sizes.
    "$CONVERT" -size ${S}x${S} xc:none -fill 'rgba(20,20,60,0.35)' \
        -draw "roundrectangle 392,470 846,790 120,120" \
        -draw "polygon 700,760 820,905 600,780" \
        -blur 0x18 "$tmp/shadow.png"
    # Back bubble: white, tail down-left, drawn opaque as one shape and then faded (so the tail
    # and body do not double up where they overlap).
    "$CONVERT" -size ${S}x${S} xc:none -fill white \
        -draw "roundrectangle 178,214 660,540 120,120" \
        -draw "polygon 250,480 220,690 420,520" \
        -channel A -evaluate multiply 0.55 +channel "$tmp/back.png"
    # Front bubble: solid white, tail down-right, with three dots (someone is typing).
    "$CONVERT" "$tmp/base.png" \
        "$tmp/back.png" -compose Over -composite \
        "$tmp/shadow.png" -compose Over -composite \
        -fill white \
        -draw "roundrectangle 372,446 846,770 120,120" \
        -draw "polygon 700,740 800,885 585,765" \
        -fill '#4338ca' \
        -draw "circle 494,608 494,650" \
        -draw "circle 609,608 609,650" \
        -draw "circle 724,608 724,650" \
        -define png:exclude-chunks=date,time -strip "PNG32:$SOURCE"
    echo "drew $SOURCE"
}

if [[ "${1:-}" == "--redraw" || ! -f "$SOURCE" ]]; then
    draw_source
fi

derive() { # size output
    "$CONVERT" "$SOURCE" -background none -filter Lanczos -resize "$1x$1" -unsharp 0x0.6 \
        -define png:exclude-chunks=date,time -strip "PNG32:$2"
}

derive 32 "$ICONS/32x32.png"
derive 128 "$ICONS/128x128.png"
derive 256 "$ICONS/128x128@2x.png"
derive 512 "$ICONS/icon.png"
# Tray: 32×32 like the window icon (panels scale it down further themselves).
derive 32 "$ICONS/tray.png"
# Windows .ico with the sizes Explorer and the taskbar ask for.
"$CONVERT" "$SOURCE" -background none -filter Lanczos \
    \( -clone 0 -resize 16x16 \) \( -clone 0 -resize 24x24 \) \( -clone 0 -resize 32x32 \) \
    \( -clone 0 -resize 48x48 \) \( -clone 0 -resize 64x64 \) \( -clone 0 -resize 256x256 \) \
    -delete 0 -strip "$ICONS/icon.ico"

# Check what tauri needs: every PNG 8-bit RGBA.
for f in "$ICONS"/32x32.png "$ICONS"/128x128.png "$ICONS"/128x128@2x.png "$ICONS"/icon.png "$ICONS"/tray.png; do
    # Byte 25 of a PNG (IHDR colour type) is 6 for RGBA; byte 24 is the bit depth.
    read -r depth ctype < <(od -An -tu1 -j24 -N2 "$f")
    if [[ "$depth" != 8 || "$ctype" != 6 ]]; then
        echo "icons.sh: $f is not 8-bit RGBA (depth $depth, colour type $ctype)" >&2
        exit 1
    fi
done
echo "icons written to $ICONS: 32x32.png 128x128.png 128x128@2x.png icon.png icon.ico tray.png"
