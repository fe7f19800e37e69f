"""Word lists and sentence templates for the synthetic demo round (all names, places and amounts invented).

Each topic is one kind of problem a 巡察组 meets in a township: its taxonomy category, and how it reads in
a petition, in an interview, in a document review and in a working paper. app/demo/scenario.py fills the blanks.
"""

from __future__ import annotations

from dataclasses import dataclass

SURNAMES = "赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨朱秦尤许何吕施张孔曹严华金魏陶姜谢邹喻柏水窦章苏潘葛范彭郎鲁韦马"
GIVEN = [
    "建华", "国平", "卫东", "秀英", "志强", "海燕", "德明", "春生", "小军", "桂兰", "永福", "红梅", "长青",
    "玉珍", "光辉", "明亮", "翠花", "树林", "振华", "金凤", "宏伟", "丽萍", "新民", "运来", "水生", "月娥",
]
VILLAGE_POSTS = ["党支部书记", "村委会主任", "村会计", "村监委会主任", "报账员", "村妇联主席", "网格员", "组长"]
TOWN_POSTS = ["镇党委书记", "镇长", "镇纪委书记", "镇党委组织委员", "镇财政所所长", "镇农业服务中心主任",
              "镇农经站站长", "镇民政办主任", "镇规划建设办主任", "镇扶贫办主任"]
PLACES = ["镇政府三楼小会议室", "镇纪委谈话室", "巡察组驻地会议室", "村部会议室", "镇党群服务中心二楼"]
COMPANIES = ["青石建筑工程有限公司", "宏达路桥建设有限公司", "兴农农业开发合作社", "石门县鑫源建材商行",
             "青石镇恒通运输队"]

CHANNEL_WEIGHTS = [("report_box", 4), ("letter", 4), ("phone", 3), ("visit", 2), ("online", 2),
                   ("forwarded_xfj", 1), ("forwarded_jw", 1)]
REVIEW_SUBJECTS = [
    ("documents", "{years}年{village}集体“三资”台账", "青石镇农经站"),
    ("documents", "{years}年{village}工程项目合同及结算资料", "青石镇规划建设办"),
    ("documents", "{years}年青石镇党委会议记录", "青石镇党政办"),
    ("documents", "{years}年{village}低保评定档案", "青石镇民政办"),
    ("documents", "{years}年扶贫项目资金拨付凭证", "青石镇财政所"),
    ("documents", "{years}年干部选拔任用工作档案", "青石镇党委组织办"),
    ("site", "{village}产业扶贫基地建设情况", "{village}"),
    ("site", "{village}村道硬化工程现场", "{village}"),
    ("symposium", "{village}党员群众代表座谈会", "{village}村部"),
    ("meeting", "青石镇党委理论学习中心组学习会", "镇政府三楼会议室"),
]
POLICY = {
    "3.3": "《农村集体经济组织财务制度》第十二条、《村级财务管理规范》",
    "3.4": "《中央财政衔接推进乡村振兴补助资金管理办法》第二十条",
    "3.5": "《中华人民共和国招标投标法》第四条、《政府投资条例》",
    "3.6": "《社会救助暂行办法》第十一条、《最低生活保障审核确认办法》",
    "3.2": "《中共中央政治局关于改进工作作风、密切联系群众的八项规定》及实施细则",
    "2.2": "《中国共产党支部工作条例（试行）》第十五条",
    "2.1": "《党政领导干部选拔任用工作条例》第三十二条",
    "1.4": "《关于进一步推进“三重一大”决策制度建设的意见》",
}


@dataclass(frozen=True)
class Topic:
    category: str
    petition: tuple[str, ...]
    interview: tuple[str, ...]
    finding: tuple[str, ...]
    paper_title: str
    facts: str


TOPICS = [
    Topic("3.5",
          ("反映{village}{post}{person}把村道硬化工程拆分成{parts}个小合同，规避公开招标，由其亲属承建。",
           "举报{village}{year}年的水利工程质量差、验收走过场，工程款约{wan}万元去向不明。"),
          ("{year}年{village}村道硬化工程被拆分为{parts}个小额合同，未进行公开招标，施工方为{company}。",
           "工程项目由{post}一人说了算，村民代表会议没有讨论。"),
          ("{year}年{village}工程合同{parts}份，单份金额均略低于招标限额，合计{wan}万元，承建方均为{company}。",),
          "{village}工程项目拆分发包规避招标",
          "{year}年，{village}将村道硬化工程拆分为{parts}个合同发包给{company}，合同总额{wan}万元，"
          "均未履行公开招标程序。"),
    Topic("3.3",
          ("反映{village}集体土地流转收入没有入账，由村会计个人保管。",
           "反映{village}{post}{person}擅自出租集体厂房，租金去向不明。"),
          ("{village}集体“三资”台账不全，{year}年土地流转收入{wan}万元未入账。",
           "村会计报账不及时，存在白条入账、坐收坐支的情况。"),
          ("{years}年“三资”台账中，集体土地流转收入{wan}万元未入集体账，由村会计个人保管。",
           "集体厂房出租合同{parts}份未经村民代表会议讨论，租金{wan}万元未入账。"),
          "{village}集体资产收入未入账",
          "{year}年{month}月至12月，{village}集体土地流转收入{wan}万元由村会计个人保管，未入集体账。"),
    Topic("3.4",
          ("反映{village}{post}{person}截留扶贫资金，贫困户应得的产业补助没有发到户。",
           "扶贫产业基地建成后闲置，{wan}万元扶贫资金打了水漂。"),
          ("扶贫项目资金拨付中存在虚报冒领，涉及金额约{wan}万元。",
           "产业扶贫基地建成后长期闲置，资产收益没有分配给脱贫户。"),
          ("{year}年扶贫产业补助发放名单中有{count}户与实际不符，涉及资金{wan}万元。",),
          "扶贫项目资金虚报冒领",
          "{year}年，{village}在扶贫产业补助申报中虚报{count}户，套取补助资金{wan}万元。"),
    Topic("3.6",
          ("反映{village}{post}{person}在低保评定中优亲厚友，其亲属{count}户享受低保。",
           "来电反映{person}把低保指标给了自己的亲戚，真正困难的人评不上。"),
          ("低保评定没有张榜公示，村干部亲属享受低保的有{count}户。",),
          ("{year}年低保档案显示，村干部近亲属{count}户纳入低保，均未经民主评议。",),
          "{village}低保评定优亲厚友",
          "{year}年，{village}{count}户村干部近亲属被纳入低保，评定过程未经民主评议和公示。"),
    Topic("3.2",
          ("反映镇里有干部工作日中午饮酒，还用公车办私事。",
           "反映{village}村干部借节日收受村民礼金。"),
          ("{year}年有公务接待超标准、超范围的情况，接待清单与实际不符。",
           "公车使用登记不规范，节假日公车私用。"),
          ("{year}年公务接待费报销凭证{count}张无接待清单，合计{wan}万元。",),
          "公务接待不规范",
          "{year}年，青石镇公务接待费报销凭证{count}张无公函、无接待清单，合计{wan}万元。"),
    Topic("2.2",
          ("反映{village}党支部好几个月没开党员大会，发展党员也不公开。",),
          ("“三会一课”记录不全，组织生活会流于形式。",
           "发展党员程序不规范，存在“近亲繁殖”。"),
          ("{year}年{village}党支部会议记录缺失{count}个月，“三会一课”记录存在补记现象。",),
          "{village}党支部组织生活不规范",
          "{year}年，{village}党支部有{count}个月未召开支部党员大会，会议记录系事后补记。"),
    Topic("2.1",
          ("反映镇里提拔干部搞“近亲繁殖”，有的干部档案年龄被改过。",),
          ("选人用人程序不规范，个别干部“带病提拔”。",),
          ("干部选拔任用档案中{count}份缺少民主推荐材料。",),
          "干部选拔任用程序不规范",
          "{year}年，青石镇提拔使用的干部中有{count}人的档案缺少民主推荐和考察材料。"),
    Topic("1.4",
          ("反映镇里大额资金使用都是书记一个人说了算。",),
          ("“三重一大”事项未经集体研究，{wan}万元支出由主要负责人个人决定。",),
          ("{year}年党委会议记录中，{count}项大额资金支出未经党委会研究。",),
          "“三重一大”决策制度执行不到位",
          "{year}年，青石镇{count}项合计{wan}万元的大额资金支出未经党委会集体研究决定。"),
]
