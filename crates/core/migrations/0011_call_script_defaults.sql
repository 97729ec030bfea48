-- The shipped default of every call-script template (话术), so "reset to default" in Settings
-- can restore it after edits and the list can say which scripts were changed. The texts are the
-- ones 0004 seeded (a core test checks that a fresh database's scripts equal these defaults).
CREATE TABLE call_script_defaults (
    purpose  TEXT NOT NULL,
    locale   TEXT NOT NULL CHECK (locale IN ('zh-CN','en')),
    title    TEXT NOT NULL,
    body     TEXT NOT NULL,
    PRIMARY KEY (purpose, locale)
);
INSERT INTO call_script_defaults (purpose, locale, title, body) VALUES
('first_contact', 'zh-CN', '签约后首次联系',
'{联系人}{职位}您好，我是{我的名字}，今后由我负责{客户名称}的日常对接。
感谢贵司选择与我们合作！想跟您约个时间，了解一下贵司的使用场景和上线安排，方便我们提前准备培训和资料。
平时有任何问题，随时打我电话 {我的电话}，微信同号。'),
('first_contact', 'en', 'First contact after signing',
'Hello {contact}, this is {my_name}. I will be your day-to-day contact for {customer} from now on.
Thank you for choosing to work with us! Could we find a time to go through how your team plans to use the product and your rollout timeline, so we can prepare training and materials in advance?
You can reach me any time at {my_phone}.'),
('regular_callback', 'zh-CN', '定期回访',
'{联系人}{职位}您好，我是{我的名字}。距离上次沟通（{上次回访日期}）有一段时间了，想跟您了解一下最近的使用情况：
1. 产品用起来是否顺手，有没有遇到不方便的地方？
2. 贵司近期业务上有没有新的安排或需求，我们可以提前配合？
3. 对我们的服务还有哪些可以改进的？
占用您几分钟，非常感谢！'),
('regular_callback', 'en', 'Regular call-back',
'Hello {contact}, this is {my_name}. It has been a while since we last spoke ({last_callback_date}), so I would like to hear how things are going:
1. Is the product working well for you, or is anything getting in the way?
2. Are there new plans or needs at {customer} we could help prepare for?
3. Is there anything we could do better in our service?
Thank you for your time!'),
('complaint_soothing', 'zh-CN', '投诉安抚',
'{联系人}{职位}您好，我是{客户名称}的对接人{我的名字}。您反映的情况我已经详细记录，给您带来不便，非常抱歉。
我们已经安排专人处理，会在约定时间内给您明确答复，处理过程中有任何进展我都会第一时间告诉您。
如果期间还有其他情况，请直接联系我：{我的电话}。'),
('complaint_soothing', 'en', 'Calming a complaint',
'Hello {contact}, this is {my_name}, your contact person for {customer}. I have written down everything you told us, and I am sorry for the trouble this has caused.
A colleague is already working on it, and you will have a clear answer within the agreed time. I will let you know as soon as there is any progress.
If anything else comes up in the meantime, please call me directly at {my_phone}.'),
('complaint_result', 'zh-CN', '投诉处理结果告知',
'{联系人}{职位}您好，我是{我的名字}。关于您之前反映的问题，现在向您同步处理结果：
【在此填写处理结果与后续措施】
请问这个结果您是否认可？如果还有不满意的地方，请告诉我，我们会继续跟进。感谢您对{客户名称}与我们合作的耐心和支持。'),
('complaint_result', 'en', 'Complaint outcome',
'Hello {contact}, this is {my_name}. I am calling to tell you how the issue you raised has been resolved:
[Describe the outcome and any follow-up measures here]
Does this resolve things for you? If anything is still not right, please tell me and we will keep working on it. Thank you for your patience.'),
('satisfaction_callback', 'zh-CN', '满意度回访',
'{联系人}{职位}您好，我是{我的名字}。想请您花一分钟，对我们最近的服务打个分：1 到 5 分，5 分为非常满意。
您觉得哪些地方做得好，哪些地方还需要改进？您的意见我们会认真落实，谢谢！'),
('satisfaction_callback', 'en', 'Satisfaction call-back',
'Hello {contact}, this is {my_name}. Could you spare a minute to rate our recent service from 1 to 5, where 5 means very satisfied?
What went well, and what should we improve? We will act on what you tell us. Thank you!'),
('holiday_greeting', 'zh-CN', '节日问候',
'{联系人}{职位}您好！节日将至，{我的名字}代表团队向您和{客户名称}的各位同事致以问候，感谢一直以来的信任与支持。
祝您节日愉快，工作顺利，身体健康！'),
('holiday_greeting', 'en', 'Holiday greeting',
'Dear {contact}, with the holidays coming up, {my_name} and the whole team would like to send our warm wishes to you and everyone at {customer}, and thank you for your trust.
Happy holidays!');
