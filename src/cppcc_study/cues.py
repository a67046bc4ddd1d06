"""Words that tell whose a figure is, or that it is no count at all.

Extraction reads a figure's clause and sentence for these cues: one person's own tally
(他, a member named by name), another body (人大代表建议, national members from one place),
a target (力争, 确保…达到), a vague amount (数百件), and words that make a committee
the object of a sentence (被…采用, 报送市政协) rather than its subject.
"""

from __future__ import annotations

import re

# 其他 is "other", not "he"; 他介绍/她表示 reports what a speaker says of the committee
# a norm per member or per year (每年提交提案5件以上), not a count
PER_UNIT = re.compile(r"(?:每年|每人|每位|每名|人均)[^,;。]{0,3}$")
_ONE_PERSON_WORDS = (r"(?<!其)(?:他|她)(?!们|介绍|说|表示|告诉|指出|透露|称|强调)|本人|(?<![每第])一人(?![一次])"
                     r"|我(?![市省区县州旗盟们国会委院部局校])|自己")  # a member quoted: 我今年提交了4件提案
# (…个人报送, not 委员个人提案, a kind of proposal)
ONE_PERSON = re.compile(_ONE_PERSON_WORDS + r"|(?<!委员)个人(?:被|获)?$")
# the same anywhere in a whole clause (委员王立新全年个人报送信息28条), for the 其中 part after it
PERSON_IN_CLAUSE = re.compile(_ONE_PERSON_WORDS + r"|(?<!委员)个人(?=报送|提交|撰写|提出|被|获)")
# A member introduced by name (委员王建华又带来…): that person's figures are not the committee's.
SURNAMES = ("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁"
             "任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤")
NAMED_MEMBER = re.compile(rf"委员([{SURNAMES}][\u4e00-\u9fff]{{1,2}}?)(?=又|再|也|曾|带来|今年|去年|全年|个人|累计|先后)")
# a clause that opens with a person's name and a verb of submitting: 陈晓岚共提交提案37件
PERSON_TALLY = re.compile(rf"(?:^|,)([{SURNAMES}][\u4e00-\u9fff]{{1,2}}?)(?:共|累计|先后|又|再|一共)?(?:提交|提出|撰写|递交|带来)")
NOT_IN_NAMES = set("大会全议市省区县委员各")  # 向大会提交: not a person named 向大会
VAGUE_BEFORE = ("数", "几", "上", "成")
# proposals handled by one part of the government (市政府系统承办的, 该部承办的): their handling
# is that part's, not the committee's whole count
SUBSET_HANDLER = re.compile(r"(?:政府系统|该部|该局|该委|该厅|该办|本部门|本单位)(?:承办|办理)的")
# a democratic party's branch as the subject of a sentence (民进三明市委会共报送社情民意信息46条):
# its own figures, not the committee's
PARTY_SUBJECT = re.compile(r"(?:[^,;。:]{0,6}[,:])?[^,;。:]{0,3}?(?:(?:民革|民盟|民建|民进|农工党|致公党|九三学社|台盟)[^,;。:]{0,10}?"
                           r"(?:委会|委员会|支社|支部|总支|基层组织)|[^,;。:、]{0,4}?工商联(?![、和及与]))")  # (a party's or 工商联's own figures)
# a correction notice quotes the figure printed wrongly: “立案376件”误为“立案367件”
ERRATUM = re.compile(r"误(?:为|作|写为?|印为)|错(?:为|写为?|印为)")
TARGET = re.compile(r"力争|争取|预计|计划(?:全年|今年|明年|年内|遴选|确定|选定|编报|报送|征集|开展|组织|召开|完成)|不少于|不低于")
# targets when in the figure's clause: 确保办复率达到100%, 拟遴选15件, 目标是…100期 (not 紧扣…的目标,共收到)
TARGET_IN_CLAUSE = re.compile(r"确保|拟|目标")
# a group of national members (港区全国政协委员, 在吉林的全国政协委员) or one sector's members
# (民盟界别委员共提交, not 各界别): their proposals are not the committee's intake
MEMBER_GROUP = re.compile(r"(?:港区|澳区|在[^,;。]{1,6}的|[我本全][省市区县州]的?|[\u4e00-\u9fff]{1,4}籍"
                           r"|[^,;。]{1,4}地区的?)全国政协委员|(?:港区|澳区)委员"
                           r"|在[^,;。]{1,8}?(?:工作|居住)?的(?:省|市|州)政协委员"  # 在通州区工作的市政协委员
                           r"|[\u4e00-\u9fff]{1,4}籍的?[\u4e00-\u9fff]{0,5}?[省市州]政协委员|港澳(?:地区)?委员|台胞委员"
                           r"|[^各全,;。:]界别的?(?:委员|小组)?(?:共|累计|先后)?(?:提交|提出|撰写|报送)")
# the members of a liaison group or studio, in the figure's own clause: 联络组委员提交提案37件
MEMBER_SUBGROUP = re.compile(r"(?:联络组|工作室|活动组)的?委员")
NOT_PROPOSALS = re.compile(r"代表建议|人大代表|议案")
PERSON_TITLES = ("委员", "常委", "副主席", "主席")
OBJECT_BEFORE = ("被", "为", "向", "给", "报送", "上报", "报", "呈报", "提交", "经", "获", "获得",
                 "配合", "协助", "会同", "陪同",  # 配合吉林省政协开展调研: a partner, not the subject
                 "次于", "超过", "高于", "低于")  # 仅次于开平市政协的48篇: a committee compared with
# 全国政协采用我市信息, 省政协领导批示: the committee named is the one adopting, not the subject
OBJECT_AFTER = ("采用", "录用", "领导", "批示", "肯定")
