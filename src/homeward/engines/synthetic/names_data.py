"""Common Armenian names in the scripts and spellings registering bodies really use.

Only common given and family names: no entry describes a person. Each name carries its
Armenian spelling, its Russian forms (Russian conventions: Հ written Г or dropped, Ղ as Г/К/Х,
voiced stops devoiced as in Акопян) and its Latin forms. The first Russian and the first Latin
form are the usual ones (for Latin: the Armenian passport's); the others are the variants seen
in registers: spellings read off Russian documents (Oganesyan), Western Armenian and diaspora
forms (Hagopian, Kevork, Bedrosian, Boghossian). The -yan/-ian/-jan ending is a habit of the
writer and is applied when rendering, so the tables give each Latin form once.

Tables are ordered by frequency, most common first; ``zipf_weights`` turns the rank into a
skewed weight.
"""

from __future__ import annotations

from dataclasses import dataclass

# Family names: Armenian | Russian forms | Latin forms.
_FAMILY_TABLE = """
Գրիգորյան | Григорян | Grigoryan, Krikorian
Սարգսյան | Саркисян, Саргсян | Sargsyan, Sarkisyan, Sarkissian
Հարությունյան | Арутюнян, Арутинян | Harutyunyan, Arutyunyan, Harutiunian, Haroutiounian
Հովհաննիսյան | Оганесян, Ованесян, Оганнисян | Hovhannisyan, Oganesyan, Ovanesyan, Hovannisian
Խաչատրյան | Хачатрян | Khachatryan, Khachatrian, Khatchadrian
Հակոբյան | Акопян, Акобян | Hakobyan, Akopyan, Hakobian, Hagopian
Վարդանյան | Варданян | Vardanyan, Vartanian
Կարապետյան | Карапетян | Karapetyan, Garabedian
Գևորգյան | Геворгян, Геворкян | Gevorgyan, Gevorkyan, Kevorkian
Պետրոսյան | Петросян | Petrosyan, Bedrosian
Մկրտչյան | Мкртчян, Мкртычян | Mkrtchyan, Mkrtichyan, Mgrdichian
Պողոսյան | Погосян, Богосян | Poghosyan, Pogosyan, Boghossian
Մանուկյան | Манукян | Manukyan, Manoukian
Ղազարյան | Казарян, Газарян | Ghazaryan, Kazaryan, Gazaryan, Ghazarian
Ավետիսյան | Аветисян | Avetisyan, Avedisian
Մարտիրոսյան | Мартиросян | Martirosyan, Martirossian
Սահակյան | Саакян | Sahakyan, Saakyan, Sahagian
Դավթյան | Давтян | Davtyan, Tavitian
Հովսեփյան | Овсепян | Hovsepyan, Ovsepyan, Hovsepian
Առաքելյան | Аракелян | Arakelyan, Arakelian
Մարգարյան | Маргарян | Margaryan, Markarian
Ստեփանյան | Степанян | Stepanyan, Stepanian
Ավագյան | Авагян | Avagyan, Avakian
Գալստյան | Галстян | Galstyan, Kalstian
Մինասյան | Минасян | Minasyan, Minassian
Բաղդասարյան | Багдасарян | Baghdasaryan, Bagdasaryan, Baghdassarian
Միքայելյան | Микаелян | Mikayelyan, Mikaelyan, Mikaelian
Համբարձումյան | Амбарцумян | Hambardzumyan, Ambartsumyan, Hampartzoumian
Ասատրյան | Асатрян | Asatryan, Asadourian
Սիմոնյան | Симонян | Simonyan, Simonian
Ալեքսանյան | Алексанян | Aleksanyan, Alexanian
Մելքոնյան | Мелконян | Melkonyan, Melkonian
Մովսիսյան | Мовсисян, Мовсесян | Movsisyan, Movsesyan, Movsesian
Աբրահամյան | Абрамян, Абраамян | Abrahamyan, Abramyan, Abrahamian
Զաքարյան | Закарян | Zakaryan, Zakharyan, Zakarian
Մելիքյան | Меликян | Melikyan, Melikian
Հայրապետյան | Айрапетян | Hayrapetyan, Ayrapetyan, Hairapetian
Կիրակոսյան | Киракосян | Kirakosyan, Giragosian
Աղաջանյան | Агаджанян | Aghajanyan, Agadzhanyan, Agajanian
Բաբայան | Бабаян | Babayan, Babaian
Բեգլարյան | Бегларян | Beglaryan, Beglarian
Դանիելյան | Даниелян | Danielyan, Danielian
Օհանյան | Оганян | Ohanyan, Oganyan, Ohanian
Առուշանյան | Арушанян | Arushanyan, Arushanian
Բալայան | Балаян | Balayan, Balaian
Մուսայելյան | Мусаелян | Musayelyan, Musaelyan, Mousaelian
Ղուկասյան | Гукасян, Кукасян | Ghukasyan, Gukasyan, Ghoukassian
Աթայան | Атаян | Atayan, Ataian
Իշխանյան | Ишханян | Ishkhanyan, Ishkhanian
Արզումանյան | Арзуманян | Arzumanyan, Arzoumanian
Թովմասյան | Товмасян | Tovmasyan, Tovmassian
Ավանեսյան | Аванесян | Avanesyan, Avanessian
Միրզոյան | Мирзоян | Mirzoyan, Mirzoian
Շահրամանյան | Шахраманян | Shahramanyan, Shakhramanyan
Գաբրիելյան | Габриелян | Gabrielyan, Kabrielian
Մնացականյան | Мнацаканян | Mnatsakanyan, Mnatsakanian
Ներսիսյան | Нерсисян, Нерсесян | Nersisyan, Nersesyan, Nersessian
Եղիազարյան | Егиазарян | Yeghiazaryan, Egiazaryan, Eghiazarian
Սաֆարյան | Сафарян | Safaryan, Safarian
Ադամյան | Адамян | Adamyan, Adamian
Մուրադյան | Мурадян | Muradyan, Mouradian
Հովակիմյան | Овакимян | Hovakimyan, Ovakimyan, Hovakimian
Պապյան | Папян | Papyan, Papian
Սողոմոնյան | Согомонян | Soghomonyan, Sogomonyan, Soghomonian
Թադևոսյան | Тадевосян | Tadevosyan, Tatevosyan, Tadevosian
Ամիրխանյան | Амирханян | Amirkhanyan, Amirkhanian
Բարսեղյան | Барсегян | Barseghyan, Barsegyan, Barseghian
Գասպարյան | Гаспарян | Gasparyan, Kasparian
Սուքիասյան | Сукиасян | Sukiasyan, Soukiasian
Աբգարյան | Абгарян | Abgaryan, Abgarian
Ալավերդյան | Алавердян | Alaverdyan, Alaverdian
Եսայան | Есаян | Yesayan, Esayan, Yessayan
Խաչիկյան | Хачикян | Khachikyan, Khatchikian
Մաթևոսյան | Матевосян | Matevosyan, Matevossian
Ասլանյան | Асланян | Aslanyan, Aslanian
Սարիբեկյան | Сарибекян | Saribekyan, Saribekian
Դալլաքյան | Даллакян | Dallakyan, Dallakian
Ղահրամանյան | Каграманян, Гахраманян | Ghahramanyan, Kagramanyan, Kahramanian
Թորոսյան | Торосян | Torosyan, Torossian
Մանասյան | Манасян | Manasyan, Manasian
Ավետյան | Аветян | Avetyan, Avedian
Ազատյան | Азатян | Azatyan, Azadian
Բադալյան | Бадалян | Badalyan, Badalian
Հախվերդյան | Ахвердян | Hakhverdyan, Akhverdyan, Hakhverdian
Մելքումյան | Мелкумян | Melkumyan, Melkoumian
Մուշեղյան | Мушегян | Musheghyan, Mushegyan, Mousheghian
Շահինյան | Шагинян | Shahinyan, Shaginyan, Shahinian
Շահբազյան | Шахбазян | Shahbazyan, Shakhbazyan, Shahbazian
Սարուխանյան | Саруханян | Sarukhanyan, Saroukhanian
Վարդազարյան | Вардазарян | Vardazaryan, Vartazarian
Ղարիբյան | Гарибян, Карибян | Gharibyan, Garibyan, Karibian
Ղևոնդյան | Гевондян | Ghevondyan, Gevondyan, Ghevontian
Ղարագյոզյան | Карагезян, Гарагезян | Gharagyozyan, Karagezyan, Karageuzian
Աղաբեկյան | Агабекян | Aghabekyan, Agabekyan, Aghabekian
Աբովյան | Абовян | Abovyan, Abovian
Ամիրյան | Амирян | Amiryan, Amirian
Անդրեասյան | Андреасян | Andreasyan, Andreassian
Արսենյան | Арсенян | Arsenyan, Arsenian
Արշակյան | Аршакян | Arshakyan, Arshakian
Բաղրամյան | Баграмян | Baghramyan, Bagramyan, Baghramian
Գալոյան | Галоян | Galoyan, Kaloyan
Գեղամյան | Гегамян | Geghamyan, Gegamyan, Keghamian
Դավոյան | Давоян | Davoyan, Tavoyan
Զոհրաբյան | Зограбян | Zohrabyan, Zograbyan, Zohrabian
Իսրայելյան | Исраелян | Israyelyan, Israelyan, Israelian
Լալայան | Лалаян | Lalayan, Lalaian
Խաչատուրյան | Хачатурян | Khachaturyan, Khachatourian, Khachadourian
Ծատուրյան | Цатурян | Tsaturyan, Tsatourian, Dzadourian
Կարախանյան | Караханян | Karakhanyan, Karakhanian
Հունանյան | Унанян | Hunanyan, Unanyan, Hounanian
Մանվելյան | Манвелян | Manvelyan, Manvelian
Մելիքսեթյան | Меликсетян | Meliksetyan, Meliksetian
Մխիթարյան | Мхитарян | Mkhitaryan, Mekhitarian
Նազարյան | Назарян | Nazaryan, Nazarian
Նալբանդյան | Налбандян | Nalbandyan, Nalbandian
Շիրինյան | Ширинян | Shirinyan, Shirinian
Ոսկանյան | Восканян, Осканян | Voskanyan, Oskanyan, Voskanian
Չիլինգարյան | Чилингарян | Chilingaryan, Chilingirian
Ջանիբեկյան | Джанибекян | Janibekyan, Dzhanibekyan, Janibekian
Ռոստոմյան | Ростомян | Rostomyan, Rostomian
Սաղաթելյան | Сагателян | Saghatelyan, Sagatelyan, Saghatelian
Սեդրակյան | Седракян | Sedrakyan, Setrakian
Սերոբյան | Серобян | Serobyan, Serobian
Վահանյան | Ваганян, Ваанян | Vahanyan, Vaganyan, Vahanian
Վարդապետյան | Вардапетян | Vardapetyan, Vartabedian
Քալանթարյան | Калантарян | Kalantaryan, Kalantarian
Քոչարյան | Кочарян | Kocharyan, Kotcharian
Օհանջանյան | Оганджанян | Ohanjanyan, Oganjanyan, Ohanjanian
Աղասյան | Агасян | Aghasyan, Agasyan, Aghassian
Առուստամյան | Арустамян | Arustamyan, Aroustamian
Ասրյան | Асрян | Asryan, Asrian
Բաբաջանյան | Бабаджанян | Babajanyan, Babadzhanyan, Babajanian
Եգանյան | Еганян | Yeganyan, Eganyan, Yeganian
Զարգարյան | Заргарян | Zargaryan, Zargarian
Թամրազյան | Тамразян | Tamrazyan, Tamrazian
Խանզադյան | Ханзадян | Khanzadyan, Khanzadian
Կոստանյան | Костанян | Kostanyan, Kostanian
Ղամբարյան | Гамбарян, Камбарян | Ghambaryan, Gambaryan, Ghambarian
Մաթոսյան | Матосян | Matosyan, Matossian
Մանգասարյան | Мангасарян | Mangasaryan, Mangassarian
Մեժլումյան | Межлумян | Mezhlumyan, Mejlumyan, Mejloumian
Նիկողոսյան | Никогосян | Nikoghosyan, Nikogosyan, Nigoghossian
Շահնազարյան | Шахназарян | Shahnazaryan, Shakhnazaryan, Shahnazarian
Չոբանյան | Чобанян | Chobanyan, Chobanian
Սմբատյան | Смбатян | Smbatyan, Smbatian
Սիրունյան | Сирунян | Sirunyan, Sirounian
Վանյան | Ванян | Vanyan, Vanian
Տոնոյան | Тоноян | Tonoyan, Donoyan
Օսիպյան | Осипян | Osipyan, Osipian
Ղուլյան | Гулян, Кулян | Ghulyan, Gulyan, Ghoulian
Մարկոսյան | Маркосян | Markosyan, Markossian
Դադայան | Дадаян | Dadayan, Tatayan
Եփրեմյան | Епремян, Ефремян | Yepremyan, Epremyan, Yepremian
Թևոսյան | Тевосян | Tevosyan, Tevosian
Խալաթյան | Халатян | Khalatyan, Khalatian
Սևյան | Севян | Sevyan, Sevian
Ալոյան | Алоян | Aloyan, Aloian
Մովսեսյան | Мовсесян | Movsesyan, Movsessian
Հարոյան | Ароян | Haroyan, Aroyan, Haroian
Փիլոսյան | Пилосян | Pilosyan, Bilosian
Բախշյան | Бахшян | Bakhshyan, Bakhshian
Գյուլումյան | Гюлумян | Gyulumyan, Gulumian
"""

# Given names: Armenian | Russian forms | Latin forms | generations (o: born before 1970,
# m: 1970-1994, y: 1995 on) in which the name is common | Armenian genitive when irregular.
_MALE_TABLE = """
Դավիթ | Давид, Давит | Davit, David, Tavit | omy | Դավթի
Հայկ | Айк, Гайк | Hayk, Haik, Aik | my |
Արմեն | Армен | Armen | om |
Տիգրան | Тигран | Tigran, Dikran | omy |
Նարեկ | Нарек | Narek | y |
Գևորգ | Геворг, Геворк | Gevorg, Gevork, Kevork | omy |
Արամ | Арам | Aram | omy |
Կարեն | Карен | Karen, Garen | my |
Արթուր | Артур | Artur, Arthur | my |
Սամվել | Самвел | Samvel | om |
Աշոտ | Ашот | Ashot | om |
Գագիկ | Гагик | Gagik, Kakig | om |
Սարգիս | Саркис, Саргис | Sargis, Sarkis | omy | Սարգսի
Հովհաննես | Оганес, Ованес | Hovhannes, Oganes, Ovanes, Ohannes | omy |
Հակոբ | Акоп | Hakob, Akop, Hagop | omy |
Գրիգոր | Григор | Grigor, Krikor | omy |
Ռուբեն | Рубен | Ruben, Rouben | omy |
Սուրեն | Сурен | Suren, Souren | om |
Վարդան | Вардан | Vardan, Vartan | omy |
Լևոն | Левон | Levon | omy |
Մհեր | Мгер, Мхер | Mher, Mger | my |
Վազգեն | Вазген | Vazgen | om |
Ալբերտ | Альберт | Albert | o |
Ռոբերտ | Роберт | Robert | om |
Սերգեյ | Сергей | Sergey, Sergei | o |
Վլադիմիր | Владимир | Vladimir | o |
Յուրի | Юрий | Yuri, Yuriy | o |
Կարապետ | Карапет | Karapet, Garabed | o |
Խաչատուր | Хачатур | Khachatur, Khachadour | o |
Մկրտիչ | Мкртич | Mkrtich, Mkrtych, Mgrdich | o | Մկրտչի
Հարություն | Арутюн | Harutyun, Arutyun, Haroutioun | om |
Պետրոս | Петрос | Petros, Bedros | om |
Պողոս | Погос, Богос | Poghos, Pogos, Boghos | o |
Մանվել | Манвел | Manvel | om |
Համլետ | Гамлет | Hamlet, Gamlet | o |
Ռաֆիկ | Рафик | Rafik | o |
Սլավիկ | Славик | Slavik | o |
Վաչագան | Вачаган | Vachagan | om |
Վահագն | Ваагн | Vahagn, Vaagn | y |
Անդրանիկ | Андраник | Andranik | omy |
Արայիկ | Араик | Arayik, Araik | om |
Էդգար | Эдгар | Edgar | y |
Էրիկ | Эрик | Erik | y |
Գոռ | Гор | Gor | y |
Հրանտ | Грант | Hrant, Grant | om |
Նորայր | Норайр | Norayr, Norair | om |
Սեյրան | Сейран | Seyran, Seiran | o |
Ստեփան | Степан | Stepan | om |
Արսեն | Арсен | Arsen | my |
Արման | Арман | Arman | my |
Արտակ | Артак | Artak | om |
Գուրգեն | Гурген | Gurgen, Kourken | o |
Գառնիկ | Гарник | Garnik | om |
Հրաչ | Грач | Hrach, Grach, Hratch | om |
Ռազմիկ | Размик | Razmik | om |
Մովսես | Мовсес | Movses | omy |
Ներսես | Нерсес | Nerses | om |
Միքայել | Микаел | Mikayel, Mikael | omy |
Երվանդ | Ерванд | Yervand, Ervand | om |
Ավետիք | Аветик | Avetik, Avedik | om |
Արկադի | Аркадий | Arkadi, Arkadiy | o |
Արշակ | Аршак | Arshak | om |
Բորիս | Борис | Boris | o |
Ալեքսանդր | Александр | Aleksandr, Alexander | my |
Էդուարդ | Эдуард | Eduard, Edward | o |
Սևակ | Севак | Sevak | my |
"""

_FEMALE_TABLE = """
Անի | Ани | Ani | y |
Մարիամ | Мариам | Mariam, Mariyam | omy |
Աննա | Анна | Anna | omy |
Նարե | Наре | Nare | y |
Լիլիթ | Лилит | Lilit, Lilith | my |
Անահիտ | Анаит, Анахит | Anahit, Anaid, Anahid | om |
Հասմիկ | Асмик | Hasmik, Asmik | om |
Գայանե | Гаяне | Gayane, Gaiane | om |
Կարինե | Карине | Karine | om |
Մարինե | Марине | Marine | om |
Նարինե | Нарине | Narine | m |
Լուսինե | Лусине | Lusine, Lousine | my |
Արմինե | Армине | Armine | my |
Սյուզաննա | Сюзанна | Syuzanna, Suzanna | m |
Ռուզաննա | Рузанна | Ruzanna, Rouzanna | om |
Գոհար | Гоар | Gohar, Goar | omy |
Աստղիկ | Астхик, Астгик | Astghik, Astkhik | om |
Սիրանուշ | Сирануш | Siranush, Siranoush | o |
Անուշ | Ануш | Anush, Anoush | omy |
Սաթենիկ | Сатеник | Satenik | om |
Զարուհի | Заруи | Zaruhi, Zarui | o |
Ժաննա | Жанна | Zhanna, Janna | o |
Սվետլանա | Светлана | Svetlana | o |
Ալլա | Алла | Alla | o |
Էմմա | Эмма | Emma | o |
Հռիփսիմե | Рипсиме | Hripsime, Ripsime | om |
Ջուլիետա | Джульетта | Julieta, Dzhulietta | o |
Նելլի | Нелли | Nelli, Nelly | o |
Լաուրա | Лаура | Laura | o |
Մարգարիտա | Маргарита | Margarita | om |
Տաթևիկ | Татевик | Tatevik | my |
Սոնա | Сона | Sona | my |
Սեդա | Седа | Seda | m |
Նունե | Нуне | Nune, Noune | m |
Արփինե | Арпине | Arpine | my |
Լիանա | Лиана | Liana | my |
Մանե | Мане | Mane | y |
Մերի | Мери | Meri, Mery | my |
Ռիմա | Римма | Rima, Rimma | o |
Ռոզա | Роза | Roza | o |
Թամարա | Тамара | Tamara | o |
Վարդուհի | Вардуи | Varduhi, Vardui | o |
Սիրուշ | Сируш | Sirush | o |
Քնարիկ | Кнарик | Knarik | o |
Հերմինե | Эрмине, Гермине | Hermine, Ermine | om |
Եվա | Ева | Yeva, Eva | y |
Էլմիրա | Эльмира | Elmira | o |
Լյուդմիլա | Людмила | Lyudmila, Ludmila | o |
Իրինա | Ирина | Irina | m |
Ելենա | Елена | Yelena, Elena | om |
Ալվինա | Альвина | Alvina | m |
Օֆելյա | Офелия, Офеля | Ofelya, Ofelia | o |
Շուշան | Шушан | Shushan, Shoushan | omy |
Հեղինե | Эгине, Гегине | Heghine, Egine | my |
Մելանյա | Мелания | Melanya, Melania | y |
Դիանա | Диана | Diana | my |
Միլենա | Милена | Milena | y |
Ալինա | Алина | Alina | y |
Վիկտորյա | Виктория | Viktorya, Viktoria, Victoria | y |
Էլեն | Элен | Elen | y |
Ինեսսա | Инесса | Inessa | m |
Զարինե | Зарине | Zarine | m |
Ամալյա | Амалия | Amalya, Amalia | y |
Սուսաննա | Сусанна | Susanna | om |
"""

# Russian patronymic stems that do not follow "name + ов" (Сергеевич, Юрьевна, Мкртичевич).
_RUSSIAN_PATRONYMIC_STEMS = {
    "Сергей": "Сергеев",
    "Юрий": "Юрьев",
    "Аркадий": "Аркадьев",
    "Мкртич": "Мкртичев",
    "Грач": "Грачев",
}

# Eastern Armenian to Latin as Armenian passports write it.
_ARMENIAN_LATIN = {
    "ա": "a", "բ": "b", "գ": "g", "դ": "d", "ե": "e", "զ": "z", "է": "e", "ը": "y",
    "թ": "t", "ժ": "zh", "ի": "i", "լ": "l", "խ": "kh", "ծ": "ts", "կ": "k", "հ": "h",
    "ձ": "dz", "ղ": "gh", "ճ": "ch", "մ": "m", "յ": "y", "ն": "n", "շ": "sh", "ո": "o",
    "չ": "ch", "պ": "p", "ջ": "j", "ռ": "r", "ս": "s", "վ": "v", "տ": "t", "ր": "r",
    "ց": "ts", "ւ": "v", "փ": "p", "ք": "k", "և": "ev", "օ": "o", "ֆ": "f",
}  # fmt: skip

_RUSSIAN_LATIN = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "yo", "ж": "zh",
    "з": "z", "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
    "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts",
    "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu",
    "я": "ya",
}  # fmt: skip


def armenian_to_latin(text: str) -> str:
    """Eastern Armenian in the passport transliteration: Հովհաննիսյան -> Hovhannisyan."""
    out: list[str] = []
    lower = text.lower()
    i = 0
    while i < len(lower):
        ch = lower[i]
        start = i == 0 or not lower[i - 1].isalpha()
        if ch == "ո" and lower[i + 1 : i + 2] == "ւ":
            out.append("u")
            i += 2
            continue
        if start and ch == "ե":
            out.append("ye")
        elif start and ch == "ո":
            out.append("vo")
        elif start and ch == "և":
            out.append("yev")
        else:
            out.append(_ARMENIAN_LATIN.get(ch, ch))
        i += 1
    return _capitalise_words("".join(out))


def russian_to_latin(text: str) -> str:
    """Russian Cyrillic in a plain passport-like transliteration: Оганесович -> Oganesovich."""
    return _capitalise_words("".join(_RUSSIAN_LATIN.get(ch, ch) for ch in text.lower()))


def _capitalise_words(text: str) -> str:
    return " ".join(word[:1].upper() + word[1:] for word in text.split(" "))


@dataclass(frozen=True, slots=True)
class FamilyName:
    hy: str
    ru: tuple[str, ...]
    latin: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class GivenName:
    hy: str
    ru: tuple[str, ...]
    latin: tuple[str, ...]
    sex: str  # "M" or "F"
    generations: str  # among "o", "m", "y"
    # Patronymics this name gives a child; only meaningful for male names.
    genitive_hy: str  # Արամի, Դավթի
    patronymic_ru_m: str  # Арамович
    patronymic_ru_f: str  # Арамовна


def _split(cell: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in cell.split(",") if part.strip())


def _rows(table: str) -> list[list[str]]:
    return [[cell.strip() for cell in line.split("|")] for line in table.strip().splitlines()]


def _family_names() -> tuple[FamilyName, ...]:
    return tuple(
        FamilyName(hy, _split(ru), _split(latin)) for hy, ru, latin in _rows(_FAMILY_TABLE)
    )


def _given_names(table: str, sex: str) -> tuple[GivenName, ...]:
    names = []
    for hy, ru, latin, generations, genitive in _rows(table):
        ru_forms = _split(ru)
        stem = _RUSSIAN_PATRONYMIC_STEMS.get(ru_forms[0], ru_forms[0] + "ов")
        names.append(
            GivenName(
                hy=hy,
                ru=ru_forms,
                latin=_split(latin),
                sex=sex,
                generations=generations,
                genitive_hy=genitive or hy + "ի",
                patronymic_ru_m=stem + "ич",
                patronymic_ru_f=stem + "на",
            )
        )
    return tuple(names)


FAMILY_NAMES: tuple[FamilyName, ...] = _family_names()
MALE_NAMES: tuple[GivenName, ...] = _given_names(_MALE_TABLE, "M")
FEMALE_NAMES: tuple[GivenName, ...] = _given_names(_FEMALE_TABLE, "F")


# ---- What the field adds (generate_population(..., field_errors=True)); docs/linkage.md -----

# A name common in Karabakh that the base table lacks: Սերժ, whose Russian documents often
# say Сергей (a different name to any transliterator).
_FIELD_MALE_TABLE = """
Սերժ | Серж | Serzh, Serge | om |
"""
FIELD_MALE_NAMES: tuple[GivenName, ...] = MALE_NAMES + _given_names(_FIELD_MALE_TABLE, "M")

# Compound family names (the Ter- of a priest's descendants), written with a hyphen, a space or
# joined: Ter-Poghosyan, Ter Poghosyan, Terpoghosyan.
_COMPOUND_FAMILY_TABLE = """
Տեր-Պողոսյան | Тер-Погосян | Ter-Poghosyan, Ter-Boghossian
Տեր-Գրիգորյան | Тер-Григорян | Ter-Grigoryan, Der-Krikorian
Տեր-Պետրոսյան | Тер-Петросян | Ter-Petrosyan, Der-Bedrosian
Տեր-Մինասյան | Тер-Минасян | Ter-Minasyan, Der-Minassian
Տեր-Հովհաննիսյան | Тер-Оганесян | Ter-Hovhannisyan, Ter-Oganesyan
"""
COMPOUND_FAMILY_NAMES: tuple[FamilyName, ...] = tuple(
    FamilyName(hy, _split(ru), _split(latin)) for hy, ru, latin in _rows(_COMPOUND_FAMILY_TABLE)
)

# Another name for the same person, not another spelling: the Russian (or Russian-derived
# Latin) name a Soviet document gave an Armenian name, or a form read off the Armenian
# differently. Armenian script | Russian forms | Latin forms.
_EQUIVALENT_TABLE = """
Սերժ | Сергей | Sergey, Sergei
Սամվել | Самуил | Samuel
Հովհաննես | Иван | Ivan
Հակոբ | Яков | Yakov
Գրիգոր | Григорий | Grigoriy, Grigori
Միքայել | Михаил | Mikhail
Պետրոս | Пётр, Петр | Petr, Pyotr
Մովսես | Моисей | Moisey
Վարդուհի | Вардухи | Vardukhi
Զարուհի | Зарухи | Zarukhi
Մարիամ | Мария | Maria, Mariya
Շուշան | Сусанна | Susanna
Հռիփսիմե | Рипсимэ | Ripsime
"""
EQUIVALENT_FORMS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    hy: (_split(ru), _split(latin)) for hy, ru, latin in _rows(_EQUIVALENT_TABLE)
}


def zipf_weights(count: int, *, offset: float, exponent: float) -> list[float]:
    """Weights for ranks 1..count, skewed like real name frequencies."""
    return [1.0 / (rank + offset) ** exponent for rank in range(1, count + 1)]
