#!/usr/bin/env python3
"""Writes data/demo/demo.json: the demo network loaded into an empty database (`vikno serve`,
`vikno demo --reset`). Modeled on the seeds: the Kropyvnytskyi center "Прозорий офіс" with the
providers of seed 003 and the life situations of seed 001. Amounts and terms are plausible
demonstration values, not legal advice. Run: python3 data/demo/generate.py"""
import json
import uuid
from pathlib import Path

NS = uuid.UUID("6f1c5d0e-3b8a-4c55-9d6e-2a7f0c9b1e42")

PROVIDERS = [
    ("dnap", "Департамент надання адміністративних послуг Кропивницької міської ради", "city_department"),
    ("dnap-residence", "Відділ реєстрації місця проживання особи департаменту надання адміністративних послуг", "city_department"),
    ("dnap-property", "Відділ державної реєстрації речових прав на нерухоме майно", "registrar"),
    ("dnap-business", "Відділ державної реєстрації юридичних осіб та фізичних осіб — підприємців", "registrar"),
    ("social", "Департамент соціальної політики Кропивницької міської ради", "city_department"),
    ("pfu", "Головне управління Пенсійного фонду України в Кіровоградській області", "state_body"),
    ("dmsu", "Управління Державної міграційної служби України в Кіровоградській області", "state_body"),
    ("rsc-mvs", "Регіональний сервісний центр ГСЦ МВС в Кіровоградській області", "state_body"),
    ("dracs", "Кропивницький міський відділ державної реєстрації актів цивільного стану Південно-Східного міжрегіонального управління Міністерства юстиції (м. Дніпро)", "registrar"),
    ("geocadastre", "Головне управління Держгеокадастру у Кіровоградській області", "state_body"),
    ("dpss", "Головне управління Держпродспоживслужби в Кіровоградській області", "state_body"),
    ("dabi", "Управління державної архітектурно-будівельної інспекції у Кіровоградській області", "state_body"),
    ("dsns", "Управління державної служби України з надзвичайних ситуацій у Кіровоградській області", "state_body"),
    ("derzhpratsi", "Управління Держпраці у Кіровоградській області", "state_body"),
    ("employment", "Кіровоградський обласний центр зайнятості", "state_body"),
    ("patrol", "Управління патрульної поліції в Кіровоградській області Департаменту патрульної поліції Національної поліції України", "state_body"),
    ("land", "Управління земельних відносин та охорони навколишнього природного середовища Кропивницької міської ради", "city_department"),
    ("architecture", "Управління містобудування та архітектури Кропивницької міської ради", "city_department"),
    ("dabk", "Управління державного архітектурно-будівельного контролю Міської ради міста Кропивницького", "city_department"),
    ("children", "Управління з питань захисту прав дітей Кропивницької міської ради", "city_department"),
    ("housing", "Відділ обліку житла Кропивницької міської ради", "city_department"),
    ("archive", "Архівний відділ Кропивницької міської ради", "city_department"),
    ("economy", "Департамент з питань економічного розвитку Кропивницької міської ради", "city_department"),
    ("improvement", "Інспекція з благоустрою Кропивницької міської ради", "city_department"),
    ("youth", "Управління молоді та спорту Кропивницької міської ради", "city_department"),
]

GROUPS = [
    ("passports", "Паспортні послуги", "Passports", "П"),
    ("residence", "Реєстрація місця проживання", "Residence registration", "Р"),
    ("social", "Соціальний захист", "Social assistance", "С"),
    ("pension", "Пенсійне забезпечення", "Pensions", "Ф"),
    ("civil", "Реєстрація актів цивільного стану", "Civil status", "Ц"),
    ("business", "Реєстрація бізнесу", "Business registration", "Б"),
    ("property", "Реєстрація нерухомості", "Real estate", "Н"),
    ("land", "Земельні питання", "Land", "З"),
    ("construction", "Архітектура та будівництво", "Construction", "А"),
    ("transport", "Транспорт і посвідчення водія", "Vehicles and driving licences", "Т"),
    ("housing", "Житло, благоустрій, діти та інші послуги", "Housing, children and other services", "Ж"),
]

LAW_ADMIN = {"title": "Закон України «Про адміністративні послуги» від 06.09.2012 № 5203-VI",
             "url": "https://zakon.rada.gov.ua/laws/show/5203-17"}
GROUP_LAW = {
    "passports": {"title": "Закон України «Про Єдиний державний демографічний реєстр та документи, що підтверджують громадянство України, посвідчують особу чи її спеціальний статус»", "url": "https://zakon.rada.gov.ua/laws/show/5492-17"},
    "residence": {"title": "Закон України «Про свободу пересування та вільний вибір місця проживання в Україні»", "url": "https://zakon.rada.gov.ua/laws/show/1382-15"},
    "social": {"title": "Закон України «Про державну допомогу сім'ям з дітьми»", "url": "https://zakon.rada.gov.ua/laws/show/2811-12"},
    "pension": {"title": "Закон України «Про загальнообов'язкове державне пенсійне страхування»", "url": "https://zakon.rada.gov.ua/laws/show/1058-15"},
    "civil": {"title": "Закон України «Про державну реєстрацію актів цивільного стану»", "url": "https://zakon.rada.gov.ua/laws/show/2398-17"},
    "business": {"title": "Закон України «Про державну реєстрацію юридичних осіб, фізичних осіб — підприємців та громадських формувань»", "url": "https://zakon.rada.gov.ua/laws/show/755-15"},
    "property": {"title": "Закон України «Про державну реєстрацію речових прав на нерухоме майно та їх обтяжень»", "url": "https://zakon.rada.gov.ua/laws/show/1952-15"},
    "land": {"title": "Земельний кодекс України; Закон України «Про Державний земельний кадастр»", "url": "https://zakon.rada.gov.ua/laws/show/3613-17"},
    "construction": {"title": "Закон України «Про регулювання містобудівної діяльності»", "url": "https://zakon.rada.gov.ua/laws/show/3038-17"},
    "transport": {"title": "Закон України «Про дорожній рух»; постанова КМУ від 07.09.1998 № 1388", "url": "https://zakon.rada.gov.ua/laws/show/3353-12"},
    "housing": {"title": "Житловий кодекс Української РСР; Закон України «Про благоустрій населених пунктів»", "url": "https://zakon.rada.gov.ua/laws/show/5464-10"},
}
PASSPORT = "Паспорт громадянина України (або інший документ, що посвідчує особу)"
RNOKPP = "Реєстраційний номер облікової картки платника податків (РНОКПП)"
APPLICATION = "Заява встановленого зразка"

# identifier-key, group, provider, title, fee (kopiykas), term (days, unit) or None, documents, result, extra dict
S = []
def svc(key, group, provider, title, fee, term, docs, result, **extra):
    S.append(dict(key=key, group=group, provider=provider, title=title, fee=fee, term=term, docs=docs, result=result, **extra))

W, C = "working_days", "calendar_days"
svc("passport-abroad", "passports", "dmsu", "Оформлення паспорта громадянина України для виїзду за кордон", 78200, (20, W),
    [PASSPORT, RNOKPP, "Квитанція про сплату адміністративного збору та вартості бланка"], "Паспорт громадянина України для виїзду за кордон",
    payment="Адміністративний збір 341 грн та вартість бланка 441 грн; оплата через платіжний термінал у ЦНАП", minutes=20, keywords="закордонний паспорт біометричний")
svc("passport-abroad-urgent", "passports", "dmsu", "Оформлення паспорта громадянина України для виїзду за кордон у скорочений строк (7 робочих днів)", 121300, (7, W),
    [PASSPORT, RNOKPP, "Квитанція про сплату"], "Паспорт громадянина України для виїзду за кордон", minutes=20, keywords="закордонний паспорт терміново")
svc("id-card-first", "passports", "dmsu", "Оформлення паспорта громадянина України у формі ID-картки вперше (у 14 років)", 0, (20, W),
    ["Свідоцтво про народження", "Документ, що підтверджує громадянство України", "Документ про місце проживання (за наявності)"], "Паспорт громадянина України у формі ID-картки", minutes=20, keywords="айді картка 14 років")
svc("id-card-exchange", "passports", "dmsu", "Оформлення паспорта громадянина України у формі ID-картки замість паспорта-книжечки", 43700, (20, W),
    [PASSPORT, RNOKPP, "Квитанція про сплату вартості бланка"], "Паспорт громадянина України у формі ID-картки", minutes=20, keywords="обмін паспорта айді картка")
svc("id-card-lost", "passports", "dmsu", "Оформлення паспорта громадянина України у формі ID-картки замість втраченого або викраденого", 72000, (20, W),
    ["Заява про втрату паспорта", "Свідоцтво про народження", "Квитанція про сплату"], "Паспорт громадянина України у формі ID-картки", minutes=25, keywords="втрата паспорта викрадено")
svc("residence-register", "residence", "dnap-residence", "Декларування або реєстрація місця проживання (перебування) особи", 3400, (1, W),
    [APPLICATION, PASSPORT, "Документ, що підтверджує право на проживання в житлі (договір, свідоцтво про право власності) або згода власника", "Квитанція про сплату адміністративного збору"],
    "Відомості про місце проживання внесено до реєстру територіальної громади", minutes=15, keywords="прописка реєстрація адреса")
svc("residence-deregister", "residence", "dnap-residence", "Зняття із задекларованого або зареєстрованого місця проживання (перебування)", 3400, (1, W),
    [APPLICATION, PASSPORT, "Квитанція про сплату адміністративного збору"], "Відомості про зняття з місця проживання внесено до реєстру", minutes=10, keywords="виписка зняття з реєстрації")
svc("residence-certificate", "residence", "dnap-residence", "Видача довідки про задеклароване або зареєстроване місце проживання (перебування)", 0, (1, W),
    [APPLICATION, PASSPORT], "Довідка (витяг з реєстру територіальної громади)", minutes=5, keywords="довідка прописка склад сім'ї")
svc("residence-child", "residence", "dnap-residence", "Реєстрація місця проживання дитини віком до 14 років", 0, (1, W),
    [APPLICATION, "Свідоцтво про народження дитини", "Паспорт одного з батьків"], "Відомості про місце проживання дитини внесено до реєстру", minutes=10, keywords="прописка дитини новонароджений")
svc("community-register-extract", "residence", "dnap-residence", "Надання витягу з реєстру Кропивницької міської територіальної громади", 0, (1, W),
    [APPLICATION, PASSPORT], "Витяг з реєстру територіальної громади", minutes=5, keywords="витяг реєстр громади")
svc("birth-assistance", "social", "social", "Призначення державної допомоги при народженні дитини", 0, (10, C),
    [APPLICATION, PASSPORT, RNOKPP, "Свідоцтво про народження дитини", "Реквізити банківського рахунку"], "Рішення про призначення допомоги", minutes=20, keywords="допомога при народженні єМалятко")
svc("housing-subsidy", "social", "social", "Призначення житлової субсидії", 0, (10, C),
    [APPLICATION, "Декларація про доходи та майно", PASSPORT, RNOKPP], "Рішення про призначення субсидії", minutes=20, keywords="субсидія комунальні послуги")
svc("single-mother-assistance", "social", "social", "Призначення державної допомоги на дітей одиноким матерям (батькам)", 0, (10, C),
    [APPLICATION, PASSPORT, "Свідоцтво про народження дитини", "Довідка про доходи"], "Рішення про призначення допомоги", minutes=20)
svc("low-income-assistance", "social", "social", "Призначення державної соціальної допомоги малозабезпеченим сім'ям", 0, (10, C),
    [APPLICATION, "Декларація про доходи та майно", PASSPORT], "Рішення про призначення допомоги", minutes=20, keywords="малозабезпечені")
svc("large-family-certificate", "social", "social", "Видача посвідчень батьків багатодітної сім'ї та дитини з багатодітної сім'ї", 0, (30, C),
    [APPLICATION, PASSPORT, "Свідоцтва про народження дітей", "Фотокартки 3x4 см"], "Посвідчення батьків і дітей з багатодітної сім'ї", minutes=15, keywords="багатодітна сім'я посвідчення")
svc("disability-child-assistance", "social", "social", "Призначення державної соціальної допомоги особам з інвалідністю з дитинства та дітям з інвалідністю", 0, (10, C),
    [APPLICATION, PASSPORT, "Висновок лікарсько-консультаційної комісії або довідка МСЕК"], "Рішення про призначення допомоги", minutes=20)
svc("idp-registration", "social", "social", "Взяття на облік внутрішньо переміщеної особи (видача довідки ВПО)", 0, (1, W),
    [APPLICATION, PASSPORT, RNOKPP], "Довідка про взяття на облік внутрішньо переміщеної особи", minutes=15, keywords="ВПО переселенець довідка")
svc("idp-living-assistance", "social", "social", "Призначення допомоги на проживання внутрішньо переміщеним особам", 0, (10, C),
    [APPLICATION, "Довідка ВПО", "Реквізити банківського рахунку"], "Рішення про призначення допомоги", minutes=15, keywords="ВПО допомога на проживання")
svc("funeral-assistance", "social", "social", "Призначення допомоги на поховання", 0, (10, C),
    [APPLICATION, PASSPORT, "Свідоцтво про смерть", "Документи про витрати на поховання"], "Рішення про виплату допомоги", minutes=15, keywords="поховання смерть")
svc("pension-age", "pension", "pfu", "Призначення пенсії за віком", 0, (10, W),
    [APPLICATION, PASSPORT, RNOKPP, "Трудова книжка", "Довідки про заробітну плату (за потреби)"], "Рішення про призначення пенсії", minutes=30, keywords="пенсія вік стаж")
svc("pension-survivor", "pension", "pfu", "Призначення пенсії у зв'язку з втратою годувальника", 0, (10, W),
    [APPLICATION, PASSPORT, "Свідоцтво про смерть годувальника", "Документи про родинні стосунки"], "Рішення про призначення пенсії", minutes=30)
svc("pension-recalculation", "pension", "pfu", "Перерахунок пенсії", 0, (10, W),
    [APPLICATION, PASSPORT, "Документи, що підтверджують підставу перерахунку"], "Рішення про перерахунок пенсії", minutes=20)
svc("pension-certificate", "pension", "pfu", "Видача довідки про розмір пенсії", 0, (1, W),
    [APPLICATION, PASSPORT], "Довідка про розмір пенсії", minutes=5, keywords="довідка пенсія розмір")
svc("birth-registration", "civil", "dracs", "Державна реєстрація народження фізичної особи", 0, (1, W),
    [APPLICATION, "Медичне свідоцтво про народження (форма № 103/о)", "Паспорти батьків", "Свідоцтво про шлюб (за наявності)"], "Свідоцтво про народження", minutes=20, keywords="народження дитини свідоцтво єМалятко")
svc("marriage-registration", "civil", "dracs", "Державна реєстрація шлюбу", 85, (30, C),
    ["Заява про державну реєстрацію шлюбу", "Паспорти наречених", "Квитанція про сплату державного мита"], "Свідоцтво про шлюб", minutes=20, keywords="шлюб одруження весілля")
svc("death-registration", "civil", "dracs", "Державна реєстрація смерті", 0, (1, W),
    [APPLICATION, "Лікарське свідоцтво про смерть", "Паспорт померлого", "Паспорт заявника"], "Свідоцтво про смерть", minutes=20, keywords="смерть свідоцтво втрата близької людини")
svc("divorce-registration", "civil", "dracs", "Державна реєстрація розірвання шлюбу за спільною заявою подружжя, яке не має дітей", 850, (30, C),
    ["Спільна заява подружжя", "Паспорти", "Свідоцтво про шлюб", "Квитанція про сплату державного мита"], "Свідоцтво про розірвання шлюбу", minutes=20, keywords="розлучення")
svc("name-change", "civil", "dracs", "Державна реєстрація зміни імені (прізвища, власного імені, по батькові)", 3400, (90, C),
    [APPLICATION, PASSPORT, "Свідоцтво про народження", "Фотокартки", "Квитанція про сплату державного мита"], "Свідоцтво про зміну імені", minutes=25, keywords="зміна прізвища імені")
svc("civil-duplicate", "civil", "dracs", "Видача повторного свідоцтва про державну реєстрацію акта цивільного стану", 850, (1, W),
    [APPLICATION, PASSPORT, "Квитанція про сплату державного мита"], "Повторне свідоцтво", minutes=15, keywords="дублікат свідоцтва втрата документів")
svc("fop-registration", "business", "dnap-business", "Державна реєстрація фізичної особи — підприємця", 0, (1, W),
    ["Заява про державну реєстрацію фізичної особи — підприємця", PASSPORT, RNOKPP], "Виписка з Єдиного державного реєстру", minutes=20, keywords="ФОП підприємець відкрити бізнес")
svc("fop-termination", "business", "dnap-business", "Державна реєстрація припинення підприємницької діяльності фізичної особи — підприємця", 0, (1, W),
    ["Заява про державну реєстрацію припинення підприємницької діяльності", PASSPORT], "Відомості про припинення внесено до ЄДР", minutes=15, keywords="закрити ФОП припинення")
svc("legal-entity-creation", "business", "dnap-business", "Державна реєстрація створення юридичної особи", 0, (1, W),
    ["Заява про державну реєстрацію створення юридичної особи", "Примірник оригіналу рішення засновників", "Установчий документ"], "Виписка з Єдиного державного реєстру", minutes=30, keywords="ТОВ підприємство створення")
svc("legal-entity-changes", "business", "dnap-business", "Державна реєстрація змін до відомостей про юридичну особу, що містяться в ЄДР", 90840, (1, W),
    ["Заява про державну реєстрацію змін", "Рішення уповноваженого органу", "Документ про сплату адміністративного збору"], "Відомості внесено до ЄДР", minutes=25)
svc("edr-extract", "business", "dnap-business", "Надання виписки (витягу) з Єдиного державного реєстру юридичних осіб, фізичних осіб — підприємців та громадських формувань", 15140, (1, W),
    ["Запит встановленого зразка", "Документ про сплату адміністративного збору"], "Витяг з ЄДР", minutes=10, keywords="витяг ЄДР виписка")
svc("property-right", "property", "dnap-property", "Державна реєстрація права власності на нерухоме майно", 30280, (5, W),
    [APPLICATION, PASSPORT, RNOKPP, "Документ, що підтверджує виникнення права власності", "Документ про сплату адміністративного збору"], "Витяг з Державного реєстру речових прав", minutes=25, keywords="квартира будинок право власності спадщина")
svc("property-right-fast", "property", "dnap-property", "Державна реєстрація права власності на нерухоме майно у строк 2 робочі дні", 302800, (2, W),
    [APPLICATION, PASSPORT, "Документ, що підтверджує виникнення права власності", "Документ про сплату адміністративного збору"], "Витяг з Державного реєстру речових прав", minutes=25)
svc("mortgage-registration", "property", "dnap-property", "Державна реєстрація іпотеки", 15140, (5, W),
    [APPLICATION, "Договір іпотеки", PASSPORT], "Витяг з Державного реєстру речових прав", minutes=20, keywords="іпотека обтяження")
svc("property-info", "property", "dnap-property", "Надання інформації з Державного реєстру речових прав на нерухоме майно", 4000, (1, W),
    [APPLICATION, PASSPORT, "Документ про сплату адміністративного збору"], "Інформаційна довідка", minutes=10, keywords="довідка нерухомість реєстр")
svc("land-extract", "land", "geocadastre", "Надання витягу з Державного земельного кадастру про земельну ділянку", 15140, (1, W),
    [APPLICATION, PASSPORT, "Документ про оплату"], "Витяг з Державного земельного кадастру", minutes=10, keywords="кадастр витяг земельна ділянка")
svc("land-registration", "land", "geocadastre", "Державна реєстрація земельної ділянки з видачею витягу з Державного земельного кадастру", 0, (14, W),
    [APPLICATION, "Документація із землеустрою", "Електронний документ"], "Витяг з Державного земельного кадастру про земельну ділянку", minutes=20, keywords="кадастровий номер реєстрація ділянки")
svc("land-changes", "land", "geocadastre", "Внесення до Державного земельного кадастру змін до відомостей про земельну ділянку", 0, (14, W),
    [APPLICATION, "Документація із землеустрою, що є підставою для змін"], "Витяг з Державного земельного кадастру", minutes=15)
svc("land-no-plots-certificate", "land", "geocadastre", "Видача довідки з Державного земельного кадастру про наявність у фізичної особи земельних ділянок", 0, (1, W),
    [APPLICATION, PASSPORT, RNOKPP], "Довідка про наявність (відсутність) земельних ділянок", minutes=10)
svc("land-project-permit", "land", "land", "Надання дозволу на розроблення проєкту землеустрою щодо відведення земельної ділянки", 0, (30, C),
    ["Клопотання", "Графічні матеріали із зазначенням бажаного місця розташування ділянки", PASSPORT], "Рішення міської ради", minutes=15, keywords="дозвіл землеустрій відведення")
svc("land-project-approval", "land", "land", "Затвердження проєкту землеустрою та передача земельної ділянки у власність", 0, None,
    ["Клопотання", "Погоджений проєкт землеустрою", "Витяг з Державного земельного кадастру"], "Рішення міської ради про передачу ділянки у власність", minutes=15, keywords="приватизація землі")
svc("urban-conditions", "construction", "architecture", "Видача містобудівних умов та обмежень забудови земельної ділянки", 0, (10, W),
    [APPLICATION, "Документ, що посвідчує право власності або користування земельною ділянкою", "Викопіювання з топографо-геодезичного плану"], "Містобудівні умови та обмеження", minutes=15, keywords="будівництво МУО")
svc("building-passport", "construction", "architecture", "Видача будівельного паспорта забудови земельної ділянки", 0, (10, W),
    [APPLICATION, "Документ про право на земельну ділянку", "Ескіз намірів забудови"], "Будівельний паспорт", minutes=15, keywords="будинок садиба будівельний паспорт")
svc("address-assignment", "construction", "architecture", "Присвоєння адреси об'єкту нерухомого майна", 30280, (5, W),
    [APPLICATION, "Документ, що посвідчує право власності", "Документ про сплату адміністративного збору"], "Рішення про присвоєння адреси", minutes=15, keywords="адреса будинку")
svc("readiness-declaration", "construction", "dabk", "Реєстрація декларації про готовність об'єкта до експлуатації (клас наслідків СС1)", 0, (10, W),
    ["Декларація про готовність об'єкта до експлуатації (2 примірники)"], "Зареєстрована декларація", minutes=15, keywords="введення в експлуатацію")
svc("construction-start-notice", "construction", "dabk", "Реєстрація повідомлення про початок виконання будівельних робіт", 0, (1, W),
    ["Повідомлення про початок виконання будівельних робіт"], "Внесення повідомлення до реєстру будівельної діяльності", minutes=10)
svc("improvement-permit", "housing", "improvement", "Видача дозволу на порушення об'єктів благоустрою", 0, (10, W),
    [APPLICATION, "Схема або проєкт робіт", "Календарний графік робіт"], "Дозвіл на порушення об'єктів благоустрою", minutes=15, keywords="розкопування благоустрій")
svc("outdoor-advertising", "housing", "architecture", "Видача дозволу на розміщення зовнішньої реклами", 0, (15, W),
    [APPLICATION, "Фотокартка місця розміщення", "Ескіз рекламного засобу", "Документ про право на місце"], "Дозвіл на розміщення зовнішньої реклами", minutes=15, keywords="реклама білборд вивіска")
svc("driver-license-exchange", "transport", "rsc-mvs", "Обмін посвідчення водія", 23700, (1, W),
    [APPLICATION, PASSPORT, "Посвідчення водія", "Медична довідка", "Квитанції про сплату"], "Посвідчення водія", minutes=20, keywords="права водійське посвідчення")
svc("driver-license-lost", "transport", "rsc-mvs", "Видача посвідчення водія замість втраченого або викраденого", 27200, (1, W),
    [APPLICATION, PASSPORT, "Медична довідка", "Квитанції про сплату"], "Посвідчення водія", minutes=20, keywords="втрата прав посвідчення")
svc("vehicle-reregistration", "transport", "rsc-mvs", "Перереєстрація транспортного засобу у зв'язку зі зміною власника", 39000, (1, W),
    [APPLICATION, PASSPORT, "Свідоцтво про реєстрацію транспортного засобу", "Договір купівлі-продажу", "Квитанції про сплату"], "Свідоцтво про реєстрацію транспортного засобу", minutes=30, keywords="авто машина перереєстрація")
svc("vehicle-first-registration", "transport", "rsc-mvs", "Державна реєстрація транспортного засобу, який раніше не був зареєстрований", 55000, (1, W),
    [APPLICATION, PASSPORT, "Документ про придбання", "Сертифікат відповідності", "Квитанції про сплату"], "Свідоцтво про реєстрацію та номерні знаки", minutes=30, keywords="реєстрація авто нове")
svc("housing-queue", "housing", "housing", "Взяття громадян на квартирний облік", 0, (30, C),
    [APPLICATION, PASSPORT, "Довідка про склад сім'ї", "Документи, що підтверджують право на пільги"], "Рішення виконавчого комітету", minutes=15, keywords="черга на житло квартира")
svc("child-property-permit", "housing", "children", "Видача дозволу органу опіки та піклування на вчинення правочинів щодо нерухомого майна дитини", 0, (30, C),
    ["Заява обох батьків", "Паспорти батьків", "Свідоцтво про народження дитини", "Документи на нерухоме майно"], "Рішення органу опіки та піклування", minutes=20, keywords="опіка дитина продаж квартири")
svc("orphan-status", "housing", "children", "Надання статусу дитини-сироти або дитини, позбавленої батьківського піклування", 0, (60, C),
    [APPLICATION, "Документи, що підтверджують обставини"], "Рішення про надання статусу", minutes=20)
svc("archive-certificate", "housing", "archive", "Видача архівних довідок, копій, витягів з документів архівного відділу", 0, (30, C),
    [APPLICATION, PASSPORT], "Архівна довідка", minutes=10, keywords="архів довідка стаж")
svc("labour-safety-declaration", "business", "derzhpratsi", "Реєстрація декларації відповідності матеріально-технічної бази вимогам законодавства з питань охорони праці", 0, (5, W),
    ["Декларація (2 примірники)"], "Зареєстрована декларація", minutes=10)
svc("food-operating-permit", "business", "dpss", "Видача експлуатаційного дозволу для потужностей (об'єктів) з виробництва харчових продуктів", 710000, (30, C),
    [APPLICATION, "Документ про оплату"], "Експлуатаційний дозвіл", minutes=15, keywords="харчові продукти дозвіл кафе")
svc("fire-safety-declaration", "business", "dsns", "Реєстрація декларації відповідності матеріально-технічної бази суб'єкта господарювання вимогам законодавства з питань пожежної безпеки", 0, (5, W),
    ["Декларація (2 примірники)"], "Зареєстрована декларація", minutes=10, keywords="пожежна безпека")
svc("unemployed-registration", "social", "employment", "Реєстрація особи як безробітної та призначення допомоги по безробіттю", 0, (7, C),
    [APPLICATION, PASSPORT, RNOKPP, "Трудова книжка або відомості про трудову діяльність"], "Статус безробітного, рішення про допомогу", minutes=20, keywords="безробіття центр зайнятості")
svc("youth-family-certificate", "housing", "youth", "Видача посвідчення учасника програми підтримки молодих сімей", 0, None,
    [APPLICATION, "Паспорти подружжя", "Свідоцтво про шлюб"], "Посвідчення", minutes=10)

LIFE = [
    ("birth", "Народження дитини", "Birth of a child", "Послуги «єМалятко» одним пакетом: реєстрація народження, місця проживання дитини та допомоги.",
     ["birth-registration", "residence-child", "birth-assistance", "large-family-certificate"]),
    ("large-family", "Документація для багатодітної сім'ї", "Documents for a large family", "",
     ["large-family-certificate", "residence-certificate", "housing-subsidy"]),
    ("new-subject-new-object", "Новий суб'єкт – новий об'єкт", "New business, new premises", "Реєстрація бізнесу та приміщень, в яких він працюватиме.",
     ["fop-registration", "legal-entity-creation", "labour-safety-declaration", "fire-safety-declaration", "food-operating-permit"]),
    ("loss-of-relative", "Втрата близької людини", "Loss of a relative", "",
     ["death-registration", "funeral-assistance", "pension-survivor", "residence-deregister"]),
    ("outdoor-advertising", "Розміщення зовнішньої реклами", "Outdoor advertising", "",
     ["outdoor-advertising", "improvement-permit"]),
    ("lost-documents", "Втрата документів", "Lost documents", "",
     ["id-card-lost", "driver-license-lost", "civil-duplicate"]),
    ("name-change", "Зміна імені", "Change of name", "",
     ["name-change", "id-card-exchange", "passport-abroad"]),
    ("inheritance", "Оформлення документів спадкоємця", "Documents of an heir", "",
     ["property-right", "land-extract", "property-info", "residence-certificate"]),
    ("moving", "Зміна місця проживання", "Moving house", "",
     ["residence-deregister", "residence-register", "housing-subsidy"]),
]

def card(s):
    g = s["group"]
    term = s["term"]
    out = {
        "identifier": str(uuid.uuid5(NS, s["key"])),
        "group": g,
        "provider": s["provider"],
        "title_uk": s["title"],
        "description": f"{s['title']}. Документи приймає адміністратор ЦНАП; рішення ухвалює суб'єкт надання.",
        "result": s["result"],
        "result_delivery": "Особисто в ЦНАП за пред'явленням документа, що посвідчує особу, або поштою за бажанням заявника",
        "fee": {"kopiykas": s["fee"], "payment_details": s.get("payment") or ("Безоплатно" if s["fee"] == 0 else "Оплата через платіжний термінал у ЦНАП або за реквізитами, наданими адміністратором")},
        "term": None if term is None else {"days": term[0], "unit": term[1]},
        "typical_minutes": s.get("minutes", 15),
        "keywords": s.get("keywords", ""),
        "documents": [{"name": d, "note": "оригінал" if d in (PASSPORT, RNOKPP) else ""} for d in s["docs"]],
        "legal_basis": [LAW_ADMIN, GROUP_LAW[g]],
        "channels": ["in_person"] + ([{"channel": "online", "note": "https://diia.gov.ua"}] if g in ("business", "social", "residence", "land") else []),
        "purposes": ["consultation", "submit_documents", "receive_result"],
        "stages": [
            {"name": "Прийняття та реєстрація заяви, формування опису вхідного пакета", "responsible": "Адміністратор ЦНАП", "term": {"days": 1, "unit": "working_days"}},
            {"name": "Передача пакета документів суб'єкту надання", "responsible": "Адміністратор ЦНАП", "term": {"days": 1, "unit": "working_days"}},
            {"name": "Розгляд і ухвалення рішення", "responsible": dict((p[0], p[1]) for p in PROVIDERS)[s["provider"]], "term": {"days": max(1, (term or (30, C))[0] - 2), "unit": (term or (30, C))[1]}},
            {"name": "Видача результату заявнику", "responsible": "Адміністратор ЦНАП", "term": {"days": 1, "unit": "working_days"}},
        ],
    }
    return out

ID = {s["key"]: str(uuid.uuid5(NS, s["key"])) for s in S}
ALL = [ID[s["key"]] for s in S]
def ids(keys):
    return [ID[k] for k in keys]

BRANCH_GROUPS = {"passports", "residence", "social", "pension", "civil", "property", "land", "housing"}
BRANCH = [ID[s["key"]] for s in S if s["group"] in BRANCH_GROUPS]
REMOTE = ids(["residence-register", "residence-deregister", "residence-certificate", "residence-child", "community-register-extract",
              "birth-assistance", "housing-subsidy", "low-income-assistance", "idp-registration", "funeral-assistance",
              "pension-certificate", "land-extract", "land-no-plots-certificate", "property-info"])
MOBILE = ids(["residence-register", "residence-certificate", "housing-subsidy", "idp-registration", "pension-certificate",
              "id-card-exchange", "passport-abroad", "land-extract", "birth-assistance"])
HROMADA = [ID[s["key"]] for s in S if s["group"] in {"residence", "social", "pension", "civil", "land", "property", "business"}]

def hours(spec):
    out = []
    for days, opens, closes in spec:
        for d in days:
            out.append({"weekday": d, "opens": opens, "closes": closes})
    return out

MAIN_HOURS = hours([([1, 3], "08:00", "20:00"), ([2, 4], "08:00", "17:00"), ([5], "08:00", "16:00"), ([6], "08:00", "15:00")])
BRANCH_HOURS = hours([([1, 2, 3, 4], "08:00", "17:00"), ([5], "08:00", "16:00"), ([6], "09:00", "14:00")])
REMOTE_HOURS = hours([([1, 3, 5], "09:00", "13:00"), ([1, 3, 5], "14:00", "17:00")])

WINDOW_LABELS = ["Адміністратор: паспортні послуги"] * 4 + ["Адміністратор: реєстрація місця проживання"] * 3 + \
    ["Соціальний захист"] * 3 + ["Пенсійний фонд"] * 2 + ["Реєстрація актів цивільного стану"] * 2 + \
    ["Реєстрація бізнесу"] * 2 + ["Реєстрація нерухомості та земля"] * 2 + ["Сервісний центр МВС"] * 2

def windows(n, labels=None):
    return [{"number": i + 1, "label": (labels[i] if labels and i < len(labels) else f"Вікно {i + 1}")} for i in range(n)]

CENTERS = [
    {"code": "kropyvnytskyi", "name_uk": "Центр надання адміністративних послуг у форматі «Прозорий офіс» міста Кропивницького",
     "name_en": "Kropyvnytskyi Administrative Service Center (Transparent Office)", "kind": "center",
     "founding_body": "city_council", "founding_body_name": "Кропивницька міська рада", "katottg": "UA35040190010094473",
     "address": "м. Кропивницький, вул. Архітектора Паученка, 41/26", "latitude": 48.5132, "longitude": 32.2597,
     "floor_area_m2": 1620.0, "technical_condition": 5, "population_served": 222695, "phone": "+380522000000",
     "email": "cnap@example.kr-rada.gov.ua", "website": "https://dozvil.kr-rada.gov.ua/", "hours": MAIN_HOURS,
     "exceptions": [{"date": "2026-12-31", "closed": False, "opens": "08:00", "closes": "14:00", "reason": "Скорочений передсвятковий день"}],
     "windows": windows(20, WINDOW_LABELS), "services": ALL},
    {"code": "kropyvnytskyi-fortechnyi", "name_uk": "Територіальний підрозділ ЦНАП (Фортечний район)", "kind": "branch", "parent": "kropyvnytskyi",
     "founding_body": "city_council", "founding_body_name": "Кропивницька міська рада", "katottg": "UA35040190010094473",
     "address": "м. Кропивницький, вул. Короленка, 1", "latitude": 48.5227, "longitude": 32.2848, "floor_area_m2": 310.0,
     "technical_condition": 4, "population_served": 80000, "hours": BRANCH_HOURS, "windows": windows(6), "services": BRANCH},
    {"code": "kropyvnytskyi-podilskyi", "name_uk": "Територіальний підрозділ ЦНАП (Подільський район)", "kind": "branch", "parent": "kropyvnytskyi",
     "founding_body": "city_council", "founding_body_name": "Кропивницька міська рада", "katottg": "UA35040190010094473",
     "address": "м. Кропивницький, вул. Полтавська, 36", "latitude": 48.4972, "longitude": 32.2401, "floor_area_m2": 280.0,
     "technical_condition": 3, "population_served": 70000, "hours": BRANCH_HOURS, "windows": windows(6), "services": BRANCH},
    {"code": "novenskyi-nove", "name_uk": "Віддалене робоче місце адміністратора ЦНАП (Новенський старостинський округ, вул. Металургів)", "kind": "remote_workplace",
     "parent": "kropyvnytskyi", "founding_body": "city_council", "founding_body_name": "Кропивницька міська рада", "katottg": "UA35040190010094473",
     "address": "м. Кропивницький, мікрорайон Нове, вул. Металургів, 27", "latitude": 48.4763, "longitude": 32.2046, "floor_area_m2": 24.0,
     "technical_condition": 3, "population_served": 15000, "hours": REMOTE_HOURS, "windows": windows(1), "services": REMOTE},
    {"code": "novenskyi-hirnytske", "name_uk": "Віддалене робоче місце адміністратора ЦНАП (Новенський старостинський округ, старостат)", "kind": "remote_workplace",
     "parent": "kropyvnytskyi", "founding_body": "city_council", "founding_body_name": "Кропивницька міська рада", "katottg": "UA35040190010094473",
     "address": "м. Кропивницький, вул. Героїв-рятувальників, 9", "latitude": 48.4701, "longitude": 32.2189, "floor_area_m2": 18.0,
     "technical_condition": 2, "population_served": 9000, "hours": REMOTE_HOURS, "windows": windows(1), "services": REMOTE},
    {"code": "kropyvnytskyi-zheo1", "name_uk": "Віддалене робоче місце адміністратора ЦНАП у КП «ЖЕО № 1»", "kind": "remote_workplace",
     "parent": "kropyvnytskyi", "founding_body": "city_council", "founding_body_name": "Кропивницька міська рада", "katottg": "UA35040190010094473",
     "address": "м. Кропивницький, вул. Велика Перспективна, 16", "latitude": 48.5101, "longitude": 32.2662, "floor_area_m2": 15.0,
     "technical_condition": 3, "population_served": 20000, "hours": REMOTE_HOURS, "windows": windows(1), "services": REMOTE[:6]},
    {"code": "kropyvnytskyi-mobile", "name_uk": "Мобільний ЦНАП («ЦНАП на колесах»)", "name_en": "Mobile office", "kind": "mobile_office",
     "parent": "kropyvnytskyi", "founding_body": "city_council", "founding_body_name": "Кропивницька міська рада",
     "address": "Виїзний прийом за графіком, оприлюдненим на сайті ЦНАП", "technical_condition": 5,
     "hours": hours([([2, 4], "10:00", "16:00")]), "windows": windows(2), "services": MOBILE},
    {"code": "sokolivska", "name_uk": "Центр надання адміністративних послуг Соколівської сільської ради", "name_en": "Sokolivska hromada ASC",
     "kind": "center", "founding_body": "village_council", "founding_body_name": "Соколівська сільська рада", "katottg": "UA35040270000078364",
     "address": "с. Соколівське, вул. Центральна, 50", "latitude": 48.4455, "longitude": 32.0781, "floor_area_m2": 96.0,
     "technical_condition": 3, "population_served": 9500, "phone": "+380522000111",
     "hours": hours([([1, 2, 3, 4], "08:00", "17:00"), ([5], "08:00", "16:00")]), "windows": windows(3), "services": HROMADA},
]

G = {g[0]: g for g in GROUPS}
def skills(primary, secondary=()):
    return [{"group": g, "level": "primary"} for g in primary] + [{"group": g, "level": "secondary"} for g in secondary]

STAFF = [
    ("olena.kovalenko", "Олена Коваленко", "center_head", ["kropyvnytskyi", "kropyvnytskyi-fortechnyi", "kropyvnytskyi-podilskyi", "novenskyi-nove", "novenskyi-hirnytske", "kropyvnytskyi-zheo1", "kropyvnytskyi-mobile"], []),
    ("andrii.bondarenko", "Андрій Бондаренко", "administrator", ["kropyvnytskyi"], skills(["passports"], ["residence"])),
    ("iryna.tkachenko", "Ірина Ткаченко", "administrator", ["kropyvnytskyi"], skills(["passports"], ["transport"])),
    ("serhii.kravchenko", "Сергій Кравченко", "administrator", ["kropyvnytskyi"], skills(["passports"])),
    ("natalia.shevchenko", "Наталія Шевченко", "administrator", ["kropyvnytskyi"], skills(["residence"], ["housing"])),
    ("oksana.melnyk", "Оксана Мельник", "administrator", ["kropyvnytskyi"], skills(["residence"], ["civil"])),
    ("tetiana.boiko", "Тетяна Бойко", "administrator", ["kropyvnytskyi"], skills(["social"], ["pension"])),
    ("yulia.moroz", "Юлія Мороз", "administrator", ["kropyvnytskyi"], skills(["social"])),
    ("viktoriia.lysenko", "Вікторія Лисенко", "administrator", ["kropyvnytskyi"], skills(["social"], ["housing"])),
    ("halyna.rudenko", "Галина Руденко", "provider_employee", ["kropyvnytskyi"], skills(["pension"])),
    ("mykola.savchenko", "Микола Савченко", "provider_employee", ["kropyvnytskyi"], skills(["pension"])),
    ("liudmyla.marchenko", "Людмила Марченко", "provider_employee", ["kropyvnytskyi"], skills(["civil"])),
    ("svitlana.polishchuk", "Світлана Поліщук", "provider_employee", ["kropyvnytskyi"], skills(["civil"], ["residence"])),
    ("dmytro.honcharenko", "Дмитро Гончаренко", "provider_employee", ["kropyvnytskyi"], skills(["business"])),
    ("maryna.kuzmenko", "Марина Кузьменко", "provider_employee", ["kropyvnytskyi"], skills(["business"], ["property"])),
    ("oleksandr.pavlenko", "Олександр Павленко", "provider_employee", ["kropyvnytskyi"], skills(["property", "land"])),
    ("roman.kostenko", "Роман Костенко", "provider_employee", ["kropyvnytskyi"], skills(["land", "construction"])),
    ("vasyl.oliinyk", "Василь Олійник", "provider_employee", ["kropyvnytskyi"], skills(["transport"])),
    ("petro.kovalchuk", "Петро Ковальчук", "provider_employee", ["kropyvnytskyi"], skills(["transport"])),
    ("inna.karpenko", "Інна Карпенко", "administrator", ["kropyvnytskyi-fortechnyi"], skills(["residence", "social"], ["passports", "pension"])),
    ("larysa.symonenko", "Лариса Симоненко", "administrator", ["kropyvnytskyi-fortechnyi"], skills(["passports", "civil"], ["land"])),
    ("oleh.danylenko", "Олег Даниленко", "administrator", ["kropyvnytskyi-podilskyi"], skills(["residence", "property"], ["social"])),
    ("kateryna.zinchenko", "Катерина Зінченко", "administrator", ["kropyvnytskyi-podilskyi"], skills(["social", "pension"], ["housing"])),
    ("valentyna.hrytsenko", "Валентина Гриценко", "administrator", ["novenskyi-nove", "novenskyi-hirnytske", "kropyvnytskyi-zheo1"], skills(["residence", "social"], ["land", "pension"])),
    ("yurii.stepanenko", "Юрій Степаненко", "administrator", ["kropyvnytskyi-mobile"], skills(["residence", "social", "passports"], ["land"])),
    ("nadiia.prykhodko", "Надія Приходько", "center_head", ["sokolivska"], skills(["residence"], ["social"])),
    ("taras.humeniuk", "Тарас Гуменюк", "administrator", ["sokolivska"], skills(["residence", "social", "civil"], ["land", "business", "pension", "property"])),
]

DEVICES = [
    {"center": "kropyvnytskyi", "purpose": "kiosk", "label": "Термінал у вестибюлі"},
    {"center": "kropyvnytskyi", "purpose": "display", "label": "Табло над вікнами"},
    {"center": "sokolivska", "purpose": "kiosk", "label": "Термінал"},
    {"center": "sokolivska", "purpose": "display", "label": "Табло"},
]

def main():
    doc = {
        "format": "vikno-registry/1",
        "providers": [{"code": c, "name_uk": n, "kind": k} for c, n, k in PROVIDERS],
        "groups": [{"code": c, "name_uk": n, "name_en": e, "ticket_letter": l, "sort_order": i + 1} for i, (c, n, e, l) in enumerate(GROUPS)],
        "services": [card(s) for s in S],
        "life_situations": [{"code": c, "name_uk": n, "name_en": e, "description": d, "services": ids(k)} for c, n, e, d, k in LIFE],
        "centers": CENTERS,
        "staff": [{"login": l, "name": n, "role": r, "centers": cs, "skills": sk} for l, n, r, cs, sk in STAFF],
        "devices": DEVICES,
    }
    assert len(doc["services"]) >= 60, len(doc["services"])
    out = Path(__file__).with_name("demo.json")
    out.write_text(json.dumps(doc, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"{out}: {len(doc['services'])} services, {len(CENTERS)} access points, {len(STAFF)} staff")

if __name__ == "__main__":
    main()
