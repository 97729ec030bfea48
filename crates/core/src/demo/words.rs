//! The vocabulary the demo generator draws from: places, trade names, people, positions and
//! the sentences of interactions and feedback. Written for this project.

/// Cities (and provinces' capitals) where small Chinese companies are registered.
pub const CITIES: [&str; 30] = [
    "北京", "上海", "广州", "深圳", "杭州", "南京", "苏州", "成都", "武汉", "西安", "天津", "重庆",
    "青岛", "宁波", "厦门", "长沙", "郑州", "合肥", "济南", "福州", "东莞", "佛山", "无锡", "常州",
    "昆明", "沈阳", "大连", "中山", "珠海", "温州",
];

/// Characters trade names (字号) are made of, two at a time.
pub const TRADE: [&str; 48] = [
    "华", "鑫", "瑞", "德", "恒", "泰", "盛", "鸿", "宏", "博", "嘉", "信", "达", "锦", "卓", "越",
    "天", "海", "龙", "凯", "祥", "源", "丰", "远", "星", "辰", "明", "安", "新", "利", "通", "邦",
    "立", "诚", "聚", "合", "志", "成", "启", "航", "光", "耀", "润", "川", "正", "元", "中", "康",
];

/// What a company does, by industry (the names of the seeded industries list).
pub const INDUSTRIES: [(&str, [&str; 4]); 12] = [
    ("制造业", ["精密机械", "电子科技", "模具", "五金制品"]),
    ("零售业", ["商贸", "百货", "连锁超市", "便利"]),
    ("批发业", ["贸易", "供应链", "进出口", "商行"]),
    ("信息技术", ["软件", "网络科技", "信息技术", "数据服务"]),
    ("金融业", ["投资管理", "融资租赁", "保险代理", "财务咨询"]),
    ("建筑业", ["建设工程", "装饰工程", "建筑设计", "市政工程"]),
    ("物流运输", ["物流", "快运", "仓储", "国际货运"]),
    ("教育", ["教育科技", "培训学校", "文化传播", "职业教育"]),
    ("医疗健康", ["医疗器械", "生物科技", "医药", "健康管理"]),
    ("餐饮酒店", ["餐饮管理", "酒店管理", "食品", "餐饮连锁"]),
    ("能源化工", ["新能源", "化工", "环保科技", "新材料"]),
    ("农业", ["农业科技", "种业", "生态农业", "农产品"]),
];

/// Legal forms.
pub const FORMS: [&str; 4] = ["有限公司", "有限公司", "股份有限公司", "有限责任公司"];

/// Common surnames, most frequent first.
pub const SURNAMES: [&str; 24] = [
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭",
    "何", "林", "罗", "高", "郑", "梁", "谢", "宋",
];

/// Characters of given names.
pub const GIVEN: [&str; 32] = [
    "伟", "芳", "娜", "敏", "静", "磊", "洋", "艳", "勇", "军", "杰", "涛", "明", "超", "秀", "霞",
    "平", "刚", "桂", "英", "华", "玲", "建", "国", "丽", "强", "鹏", "飞", "婷", "宇", "浩", "欣",
];

/// Positions of customer contacts.
pub const POSITIONS: [&str; 10] = [
    "总经理",
    "采购经理",
    "技术总监",
    "财务主管",
    "行政主管",
    "运营经理",
    "IT 负责人",
    "销售总监",
    "项目经理",
    "董事长助理",
];

/// Mobile prefixes of the three mainland carriers.
pub const MOBILE_PREFIXES: [&str; 16] = [
    "130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151", "158", "159",
    "177", "186", "189",
];

/// Products a customer may use.
pub const PRODUCTS: [&str; 6] = [
    "标准版",
    "专业版",
    "企业版",
    "数据看板",
    "移动端",
    "API 接口",
];

/// Where customers came from.
pub const SOURCES: [&str; 6] = [
    "展会",
    "老客户介绍",
    "官网咨询",
    "电话拜访",
    "招投标",
    "合作伙伴",
];

/// Tags and their colours.
pub const TAGS: [(&str, &str); 6] = [
    ("VIP", "#c0392b"),
    ("重点客户", "#d35400"),
    ("技术导向型", "#2980b9"),
    ("价格敏感", "#8e44ad"),
    ("长期合作", "#27ae60"),
    ("待激活", "#7f8c8d"),
];

/// Interaction channels (codes of the seeded list) with subjects and key points.
pub const INTERACTIONS: [(&str, &str, &str); 10] = [
    (
        "visit",
        "上门拜访，了解使用情况",
        "与对方负责人当面沟通，介绍了新版本功能，对方关心数据迁移和培训安排。",
    ),
    (
        "phone",
        "电话沟通续约事宜",
        "对方表示预算已报批，希望在月底前确定续约价格。",
    ),
    (
        "phone",
        "电话回复操作问题",
        "指导对方完成报表导出设置，问题已解决。",
    ),
    (
        "email",
        "发送报价单与合同草案",
        "已发送专业版报价和合同草案，等待对方法务审核。",
    ),
    (
        "im",
        "微信沟通上线进度",
        "对方 IT 已完成账号开通，下周安排全员培训。",
    ),
    (
        "online_meeting",
        "线上需求评审会",
        "对方提出批量导入和审批流程两项需求，已记录并转研发评估。",
    ),
    ("greeting", "节日问候", "发送节日祝福，对方表示感谢。"),
    (
        "trial_feedback",
        "试用反馈收集",
        "试用两周，整体满意，希望移动端支持离线查看。",
    ),
    (
        "callback",
        "定期回访",
        "对方近期使用稳定，提到客服响应速度比以前快。",
    ),
    (
        "visit",
        "拜访新任采购负责人",
        "对方采购负责人更换，重新介绍了合作历史和服务内容。",
    ),
];

/// Feedback descriptions by sub-category code.
pub const FEEDBACK: [(&str, [&str; 3]); 6] = [
    (
        "service_quality",
        [
            "客服电话多次无人接听，问题拖了三天才有人回复。",
            "上门服务人员迟到一个多小时，也没有提前通知。",
            "报销发票流程太繁琐，来回提交了四次材料。",
        ],
    ),
    (
        "product_function",
        [
            "导出报表时数据缺失最后一页，影响月底对账。",
            "系统升级后登录偶尔卡住，需要刷新好几次。",
            "批量修改客户资料时提示成功但实际没有保存。",
        ],
    ),
    (
        "feature_improvement",
        [
            "希望报表可以按部门筛选并定时发送邮件。",
            "建议手机端增加扫码录入功能。",
            "希望审批流程可以自定义节点。",
        ],
    ),
    (
        "service_experience",
        [
            "希望能安排专属客服对接，减少重复说明问题。",
            "建议每季度提供一次新功能培训。",
            "希望服务热线延长到晚上八点。",
        ],
    ),
    (
        "product_usage",
        [
            "请问如何设置多级审批？",
            "数据看板中的同比口径是怎么计算的？",
            "新员工账号怎么分配权限？",
        ],
    ),
    (
        "cooperation_policy",
        [
            "续约三年是否有额外折扣？",
            "合同中的违约条款能否调整？",
            "代理商返点政策今年有变化吗？",
        ],
    ),
];

/// Root causes and solutions for closed complaints.
pub const RESOLUTIONS: [(&str, &str); 4] = [
    (
        "值班安排不足，高峰期电话排队。",
        "增加高峰时段值班人员，并向客户致歉说明。",
    ),
    (
        "版本升级引入的缺陷。",
        "已发布修复补丁，并协助客户补全数据。",
    ),
    (
        "流程说明不清晰。",
        "整理了操作指引发给客户，并更新了知识库。",
    ),
    ("第三方接口超时。", "更换接口供应商并增加重试机制。"),
];

/// Tasks people write for themselves.
pub const TASKS: [&str; 6] = [
    "准备续约报价",
    "发送培训资料",
    "确认上线时间",
    "跟进发票寄送",
    "约对方负责人拜访",
    "整理需求清单转研发",
];

/// Comments on survey responses.
pub const SURVEY_COMMENTS: [&str; 5] = [
    "",
    "服务很及时，感谢。",
    "产品稳定，希望多一些培训。",
    "响应速度还可以更快。",
    "整体满意。",
];
