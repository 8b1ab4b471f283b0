"""The invented world a synthetic corpus talks about: firms, people, outlets, government
bodies, policies and elements, each with an English and a Chinese name, drawn with Zipf-like
frequency so that a few recur in many documents and most in few."""

from __future__ import annotations

import itertools
import random
from dataclasses import dataclass, field
from datetime import date, timedelta

SYLLABLES = [
    ("Hua", "华"), ("Xin", "鑫"), ("Zhong", "中"), ("Tai", "泰"), ("Long", "隆"), ("Jin", "金"),
    ("Rui", "瑞"), ("Hong", "宏"), ("Da", "达"), ("Tian", "天"), ("Heng", "恒"), ("Sheng", "盛"),
    ("Bao", "宝"), ("Kai", "凯"), ("Feng", "丰"), ("Yuan", "源"), ("Guang", "光"), ("Ming", "明"),
    ("An", "安"), ("Xing", "兴"), ("Wei", "伟"), ("Jian", "建"), ("Hai", "海"), ("Chen", "辰"),
]  # fmt: skip
SURNAMES = [
    ("Wang", "王"), ("Li", "李"), ("Zhang", "张"), ("Liu", "刘"), ("Chen", "陈"), ("Yang", "杨"),
    ("Zhao", "赵"), ("Huang", "黄"), ("Zhou", "周"), ("Wu", "吴"), ("Xu", "徐"), ("Sun", "孙"),
    ("Hu", "胡"), ("Zhu", "朱"), ("Gao", "高"), ("Lin", "林"), ("He", "何"), ("Guo", "郭"),
]  # fmt: skip
SECTORS = [
    ("Rare Earth", "稀土"), ("Semiconductor", "半导体"), ("Materials", "材料"),
    ("Magnetics", "磁材"), ("Battery", "电池"), ("Chip", "芯片"), ("Metals", "金属"),
]  # fmt: skip
OUTLETS = [
    ("Harbour Wire", "港湾通讯社"), ("Eastern Business Daily", "东方商报"), ("Metals Insight", "金属观察"),
    ("Tech Frontier News", "科技前沿报"), ("Global Supply Review", "全球供应评论"),
    ("Jin Rong Shi Bao", "金融时报网"), ("Cai Xun Wang", "财讯网"), ("Industry Weekly", "产业周刊"),
]  # fmt: skip
BODIES = [
    ("ministry-of-commerce", "Ministry of Commerce", "商务部", "CN"),
    ("ministry-of-industry", "Ministry of Industry and Information Technology", "工业和信息化部", "CN"),
    ("general-administration-of-customs", "General Administration of Customs", "海关总署", "CN"),
    ("us-department-of-commerce", "US Department of Commerce", "美国商务部", "US"),
    ("european-commission", "European Commission", "欧盟委员会", "BE"),
    ("japan-meti", "Ministry of Economy, Trade and Industry", "经济产业省", "JP"),
]
ELEMENTS = [
    ("Dy", "dysprosium", "镝"), ("Tb", "terbium", "铽"), ("Nd", "neodymium", "钕"),
    ("Pr", "praseodymium", "镨"), ("Ga", "gallium", "镓"), ("Ge", "germanium", "锗"),
    ("Sb", "antimony", "锑"), ("Sm", "samarium", "钐"), ("Y", "yttrium", "钇"),
    ("Lu", "lutetium", "镥"), ("Sc", "scandium", "钪"), ("Gd", "gadolinium", "钆"),
]  # fmt: skip
ROLES = [
    ("chief-executive-officer", "chief executive", "首席执行官"),
    ("general-manager", "general manager", "总经理"),
    ("deputy-general-manager", "deputy general manager", "副总经理"),
    ("chief-financial-officer", "chief financial officer", "财务总监"),
    ("chair", "chairman", "董事长"),
    ("director", "director", "董事"),
    ("technical-expert", "chief engineer", "总工程师"),
]
GROUP = "kg:StateOwnedGroup"
KINDS = ["kg:ListedCompany", "kg:Firm", GROUP]
POLICY_KINDS = [
    ("kg:ExportControl", "Export Control", "出口管制"),
    ("kg:Regulation", "Regulation", "管理条例"),
]


@dataclass(frozen=True)
class Entity:
    """A registry entry: id, ontology class, English and Chinese name."""

    id: str
    kind: str
    en: str
    zh: str


@dataclass
class Pool:
    """Entities of one kind, drawn with weight 1/rank (Zipf's law)."""

    members: list[Entity]
    weights: list[float] = field(init=False)

    def __post_init__(self) -> None:
        self.weights = list(itertools.accumulate(1 / rank for rank in range(1, len(self.members) + 1)))

    def draw(self, rng: random.Random, avoid: tuple[Entity, ...] = ()) -> Entity:
        while True:
            chosen = rng.choices(self.members, cum_weights=self.weights)[0]
            if chosen not in avoid:
                return chosen


@dataclass(frozen=True)
class PolicyTerms:
    """Who issued a policy, when, and which elements it controls (the same in every document)."""

    body: Entity
    announced: date
    elements: tuple[tuple[str, str, str], ...]


def slug(text: str) -> str:
    return "-".join("".join(c if c.isalnum() else " " for c in text.lower()).split())


@dataclass
class World:
    """Everything the documents of one corpus can mention."""

    firms: Pool
    people: Pool
    analysts: Pool
    outlets: Pool
    bodies: Pool
    policies: Pool
    policy_terms: dict[str, PolicyTerms]
    parents: dict[str, Entity]

    @classmethod
    def invent(cls, rng: random.Random, documents: int) -> World:
        names = [(a[0] + b[0].lower(), a[1] + b[1]) for a, b in itertools.permutations(SYLLABLES, 2)]
        rng.shuffle(names)
        firms_needed = min(len(names) * len(SECTORS), 12 + documents // 8)
        combos = [(n, s) for s in SECTORS for n in names]
        rng.shuffle(combos)
        combos = combos[:firms_needed]
        firms = [
            _firm(name, sector, KINDS[rng.randrange(3)] if i % 4 else GROUP)
            for i, (name, sector) in enumerate(combos)
        ]
        full_names = [(f"{s[0]} {given[0]}", s[1] + given[1]) for s in SURNAMES for given in names]
        rng.shuffle(full_names)
        people = [
            Entity(slug(en), "kg:Person", en, zh)
            for en, zh in full_names[: min(len(full_names), 40 + documents // 3)]
        ]
        analysts, people = people[:8], people[8:]
        groups = [firm for firm in firms if firm.kind == "kg:StateOwnedGroup"]
        parents = {
            firm.id: rng.choice(groups) for firm in firms if firm.kind != "kg:StateOwnedGroup" and groups
        }
        bodies = [Entity(id_, "kg:GovernmentBody", en, zh) for id_, en, zh, _ in BODIES]
        policies, terms = [], {}
        for number in range(1, 6 + documents // 20):
            body = rng.choice(bodies)
            kind, en, zh = rng.choice(POLICY_KINDS)
            announced = date(2022, 1, 1) + timedelta(days=rng.randrange(700))
            year = announced.year
            policy = Entity(
                f"policy-{number}", kind, f"{en} No. {number} of {year}", f"{year}年第{number}号{zh}"
            )
            policies.append(policy)
            terms[policy.id] = PolicyTerms(body, announced, tuple(rng.sample(ELEMENTS, rng.randint(1, 3))))
        return cls(
            firms=Pool(firms),
            people=Pool(people),
            analysts=Pool(analysts),
            outlets=Pool([Entity(slug(en), "kg:NewsOutlet", en, zh) for en, zh in OUTLETS]),
            bodies=Pool(bodies),
            policies=Pool(policies),
            policy_terms=terms,
            parents=parents,
        )


def _firm(name: tuple[str, str], sector: tuple[str, str], kind: str) -> Entity:
    """A firm (a quarter of them groups, the parents of the others)."""
    suffix = (" Group", "集团") if kind == GROUP else ("", "")
    en = f"{name[0]} {sector[0]}{suffix[0]}"
    return Entity(slug(en), kind, en, f"{name[1]}{sector[1]}{suffix[1]}")
