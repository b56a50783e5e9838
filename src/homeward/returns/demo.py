"""Demo data for permanent return: a rights framework in every status and a survey round.

The guarantees are illustrative wording of the kinds of rights discussed for a return, not a
text anyone has agreed; the answers are synthetic, drawn at rates chosen for the demo.
"""

import datetime
import random

from django.db import transaction
from django.utils import timezone

from homeward.access.caller import Caller, command_line_caller
from homeward.access.roles import Role
from homeward.engines.projection import CONDITION_CODES
from homeward.people.models import Household
from homeward.returns import services
from homeward.returns.models import Guarantee, Question

# code, group, responsible party, conditions answered, status, texts (hy, ru, en, az)
FRAMEWORK = (
    (
        "schools-armenian",
        "cultural",
        "Ministry of Education",
        ["school_armenian"],
        "agreed",
        (
            "Հայերենով ուսուցմամբ դպրոցներ յուրաքանչյուր համայնքում",
            "Школы с обучением на армянском языке в каждой общине",
            "Schools teaching in Armenian in every community",
            "Hər icmada erməni dilində tədris aparan məktəblər",
        ),
    ),
    (
        "church-clergy",
        "religious",
        "Religious affairs authority",
        ["church_clergy"],
        "under_negotiation",
        (
            "Հայ առաքելական եկեղեցիների բացում և հոգևորականների ներկայություն",
            "Открытые армянские апостольские церкви и присутствие духовенства",
            "Armenian Apostolic churches open, with their clergy",
            "Erməni Apostol kilsələrinin açıq olması və ruhanilərin iştirakı",
        ),
    ),
    (
        "community-administration",
        "political",
        "Local government",
        ["community_administration"],
        "proposed",
        (
            "Համայնքի անդամներից ձևավորված տեղական վարչակազմ",
            "Местная администрация, набранная из членов общины",
            "Local administration staffed from the community",
            "İcma üzvlərindən təşkil olunmuş yerli idarəetmə",
        ),
    ),
    (
        "community-police",
        "security",
        "Interior ministry",
        ["community_police"],
        "proposed",
        (
            "Համայնքի անդամներից հավաքագրված ոստիկանություն",
            "Полиция, набранная из членов общины",
            "Police recruited from the community",
            "İcma üzvlərindən seçilmiş polis",
        ),
    ),
    (
        "international-monitors",
        "security",
        "UN and ICRC",
        ["international_presence", "security_guarantees"],
        "implemented",
        (
            "Միջազգային դիտորդների մշտական ներկայություն",
            "Постоянное присутствие международных наблюдателей",
            "A standing presence of international monitors",
            "Beynəlxalq müşahidəçilərin daimi iştirakı",
        ),
    ),
    (
        "property-restitution",
        "property",
        "Property claims commission",
        ["property_restitution", "compensation"],
        "under_negotiation",
        (
            "Գույքի վերադարձ կամ փոխհատուցում անկախ հանձնաժողովի որոշմամբ",
            "Возврат имущества или компенсация по решению независимой комиссии",
            "Property returned, or compensated, by decision of an independent commission",
            "Müstəqil komissiyanın qərarı ilə əmlakın qaytarılması və ya kompensasiya",
        ),
    ),
    (
        "documents",
        "citizenship",
        "Civil registry",
        ["citizenship_documents"],
        "agreed",
        (
            "Փաստաթղթերի տրամադրում առանց քաղաքացիությունից հրաժարվելու",
            "Выдача документов без отказа от гражданства",
            "Documents issued without giving up citizenship",
            "Vətəndaşlıqdan imtina etmədən sənədlərin verilməsi",
        ),
    ),
    (
        "free-movement",
        "civil",
        "Border authorities",
        ["free_movement_armenia"],
        "verified",
        (
            "Ազատ տեղաշարժ Հայաստան և հետ",
            "Свободное передвижение в Армению и обратно",
            "Free movement to Armenia and back",
            "Ermənistana və geri sərbəst hərəkət",
        ),
    ),
    (
        "health-utilities",
        "civil",
        "Regional administration",
        ["healthcare", "utilities"],
        "proposed",
        (
            "Առողջապահություն, ջուր, էլեկտրականություն և գազ վերադարձողների համար",
            "Здравоохранение, вода, электричество и газ для вернувшихся",
            "Healthcare, water, power and gas for those who return",
            "Qayıdanlar üçün səhiyyə, su, elektrik və qaz",
        ),
    ),
    (
        "jobs",
        "civil",
        "Regional administration",
        ["jobs"],
        "proposed",
        (
            "Աշխատանք և գյուղատնտեսական հողերի հասանելիություն",
            "Работа и доступ к сельскохозяйственным землям",
            "Work, and access to farmland",
            "İş və kənd təsərrüfatı torpaqlarına çıxış",
        ),
    ),
)
QUESTIONS = (
    (
        "safety",
        "Who will guarantee our safety when we live there again?",
        (
            "Վերադարձողների անվտանգությունը կերաշխավորեն միջազգային դիտորդները և համայնքային ոստիկանությունը, որոնց շուրջ բանակցություններն ընթանում են։",
            "Безопасность вернувшихся будут гарантировать международные наблюдатели и полиция из членов общины; об этом ведутся переговоры.",
            "International monitors and police recruited from the community, which are under negotiation.",
            "Qayıdanların təhlükəsizliyinə beynəlxalq müşahidəçilər və icma polisi təminat verəcək; bu barədə danışıqlar gedir.",
        ),
    ),
    (
        "property",
        "Will we get our house back if someone else lives in it now?",
        (
            "Անկախ հանձնաժողովը կքննի յուրաքանչյուր հայց և կորոշի վերադարձ կամ փոխհատուցում։",
            "Независимая комиссия рассмотрит каждое заявление и решит вопрос о возврате или компенсации.",
            "An independent commission will decide each claim: restitution or compensation.",
            "Müstəqil komissiya hər iddiaya baxacaq və qaytarılma və ya kompensasiya barədə qərar verəcək.",
        ),
    ),
    (
        "documents",
        "Do we have to give up our Armenian passports?",
        (
            "Ոչ։ Համաձայնեցված երաշխիքի համաձայն՝ փաստաթղթերը տրվում են առանց քաղաքացիությունից հրաժարվելու։",
            "Нет. По согласованной гарантии документы выдаются без отказа от гражданства.",
            "No. Under the agreed guarantee, documents are issued without giving up citizenship.",
            "Xeyr. Razılaşdırılmış təminata görə sənədlər vətəndaşlıqdan imtina etmədən verilir.",
        ),
    ),
    ("services", "Will the village school teach in Armenian?", None),
    ("visits", "Can we visit the cemetery before deciding?", None),
    ("administration", "Who will run the village council?", None),
)
INTENTION_WEIGHTS = (
    ("return", 0.22),
    ("undecided", 0.33),
    ("visit_only", 0.25),
    ("not_return", 0.20),
)
# How often each condition is set by a household that would return or is undecided; the
# community's own statement names schools, church and administration first.
CONDITION_RATES = {
    "school_armenian": 0.55,
    "church_clergy": 0.5,
    "community_administration": 0.45,
    "security_guarantees": 0.6,
    "international_presence": 0.4,
    "property_restitution": 0.35,
    "community_police": 0.25,
    "citizenship_documents": 0.3,
    "free_movement_armenia": 0.3,
    "compensation": 0.2,
    "healthcare": 0.2,
    "jobs": 0.2,
    "utilities": 0.15,
    "other": 0.03,
}


@transaction.atomic
def seed_demo_returns(*, organisation: str, planner: Caller, share: float, seed: int) -> dict:
    rng = random.Random(seed)
    today = timezone.localdate()
    for index, (code, group, party, answers, status, texts) in enumerate(FRAMEWORK):
        if Guarantee.objects.filter(code=code).exists():
            continue
        guarantee = services.add_guarantee(
            caller=planner,
            code=code,
            group=group,
            texts=dict(zip(("hy", "ru", "en", "az"), texts, strict=True)),
            responsible_party=party,
            answers=answers,
            status_since=today - datetime.timedelta(days=120 - index),
        )
        path = [s for s in Guarantee.Status.values if s != "proposed"]
        for step, next_status in enumerate(
            path[: path.index(status) + 1] if status != "proposed" else []
        ):
            services.change_guarantee_status(
                caller=planner,
                guarantee=guarantee,
                status=next_status,
                changed_on=today - datetime.timedelta(days=90 - 25 * step - index),
            )
    caseworker = command_line_caller(organisation)
    caseworker = Caller(user=None, organisation=caseworker.organisation, role=Role.CASEWORKER)
    households = list(Household.objects.filter(organisation=caseworker.organisation).order_by("pk"))
    answered = rng.sample(households, int(len(households) * share))
    intentions, weights = zip(*INTENTION_WEIGHTS, strict=True)
    for household in answered:
        intention = rng.choices(intentions, weights)[0]
        conditions = []
        if intention in ("return", "undecided"):
            conditions = [c for c in CONDITION_CODES if rng.random() < CONDITION_RATES[c]]
        services.record_intention(
            caller=caseworker,
            household=household,
            intention=intention,
            timing=rng.choice(("within_6_months", "within_2_years", "later", "unknown"))
            if intention in ("return", "undecided")
            else "",
            conditions=conditions,
        )
    if not Question.objects.exists():
        for theme, text, answer in QUESTIONS:
            question = services.file_question(
                caller=caseworker,
                theme=theme,
                text=text,
                language="en",
                assigned_to=planner.organisation,
            )
            if answer:
                services.answer_question(
                    caller=planner,
                    question=question,
                    answers=dict(zip(("hy", "ru", "en", "az"), answer, strict=True)),
                )
    return {
        "guarantees": Guarantee.objects.count(),
        "answered": len(answered),
        "households": len(households),
    }
