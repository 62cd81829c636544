#!/usr/bin/python3
"""Builds tests/screen/pairs.tsv, the labelled name pairs screening is measured on
(docs/screening.md), from the real list files in ../shared/data. Deterministic: run it again
and the same file comes out. Columns: query, expected list id ('-' for a name on no list),
kind, type (person|company|-), country ('-' for none)."""
import csv, json, os, random, sys

here = os.path.dirname(os.path.abspath(__file__))
data = os.path.join(here, '..', '..', '..', 'shared', 'data')
rng = random.Random(15)
pairs = []

def add(query, expected, kind, typ='-', country='-'):
    query = ' '.join(query.split())
    if query and '\t' not in query:
        pairs.append((query, expected, kind, typ, country))

def typo(name):
    """One letter of the longest word (of 7 letters or more) swapped with its neighbour."""
    words = name.split()
    i = max(range(len(words)), key=lambda k: len(words[k]))
    w = words[i]
    if len(w) < 7 or not w.isalpha():
        return None
    k = rng.randrange(2, len(w) - 2)
    words[i] = w[:k] + w[k + 1] + w[k] + w[k + 2:]
    return ' '.join(words)

def reorder(name):
    """`LAST, First Middle` as `First Middle Last`; other names with their last word first."""
    if ',' in name:
        last, _, rest = name.partition(',')
        return rest.strip() + ' ' + last.strip()
    words = name.split()
    return ' '.join(words[-1:] + words[:-1]) if len(words) > 1 else name

LAT = [('shch', 'щ'), ('kh', 'х'), ('zh', 'ж'), ('ts', 'ц'), ('ch', 'ч'), ('sh', 'ш'), ('yu', 'ю'),
       ('ya', 'я'), ('iy', 'ий'), ('yy', 'ый'), ('ye', 'е'), ('a', 'а'), ('b', 'б'), ('v', 'в'),
       ('g', 'г'), ('d', 'д'), ('e', 'е'), ('z', 'з'), ('i', 'и'), ('y', 'ы'), ('k', 'к'),
       ('l', 'л'), ('m', 'м'), ('n', 'н'), ('o', 'о'), ('p', 'п'), ('r', 'р'), ('s', 'с'),
       ('t', 'т'), ('u', 'у'), ('f', 'ф'), ('c', 'к'), ('h', 'х'), ('x', 'кс'), ('w', 'в'),
       ('q', 'к'), ('j', 'дж')]
FORMS = [('PUBLIC JOINT STOCK COMPANY', 'ПАО'), ('OPEN JOINT STOCK COMPANY', 'ОАО'),
         ('CLOSED JOINT STOCK COMPANY', 'ЗАО'), ('JOINT STOCK COMPANY', 'АО'),
         ('LIMITED LIABILITY COMPANY', 'ООО'), ('LIMITED LIABILITY PARTNERSHIP', 'ТОО')]

def cyrillic_word(w):
    out, i, w = '', 0, w.lower()
    while i < len(w):
        for lat, cyr in LAT:
            if w.startswith(lat, i):
                # й after a vowel, ы after a consonant
                if lat == 'y' and i > 0 and w[i - 1] in 'aeiou':
                    cyr = 'й'
                out += cyr
                i += len(lat)
                break
        else:
            out += w[i]
            i += 1
    return out

def cyrillic(name):
    """A Russian company's Latin SDN name as a Russian register writes it: ООО «Name»."""
    form = ''
    for lat, cyr in FORMS:
        if lat in name:
            form, name = cyr, name.replace(lat, ' ')
            break
    words = [cyrillic_word(w) for w in name.replace('"', ' ').split()]
    words = [w[:1].upper() + w[1:] for w in words]
    return (form + ' «' + ' '.join(words) + '»') if form else ' '.join(words)

# 1. SDN 2019 aliases (alt.csv): each alias, perturbed, must find its entry.
sdn19 = {}
with open(os.path.join(data, 'ofac-sdn-2019-01', 'sdn.csv'), encoding='utf-8') as f:
    for row in csv.reader(f):
        if len(row) > 2:
            sdn19[row[0]] = (row[1], row[2].strip())
aliases = []
with open(os.path.join(data, 'ofac-sdn-2019-01', 'alt.csv'), encoding='utf-8') as f:
    for row in csv.reader(f):
        if len(row) > 3 and row[0] in sdn19 and sdn19[row[0]][1] in ('individual', '-0-'):
            aliases.append((row[0], row[3]))
for ent, alias in rng.sample(aliases, 130):
    typ = 'person' if sdn19[ent][1] == 'individual' else 'company'
    how = rng.choice(['reorder', 'typo', 'lower', 'plain'])
    q = {'reorder': reorder(alias), 'typo': typo(alias), 'lower': alias.lower(),
         'plain': alias.replace(',', ' ').replace('.', ' ')}[how] or reorder(alias)
    add(q, 'ofac-sdn-' + ent, 'sdn2019-alias-' + how, typ)

# 2. The OpenSanctions Zala file: every Latin and Cyrillic name of its companies and persons.
with open(os.path.join(data, 'opensanctions-zala', 'entities.ftm.json'), encoding='utf-8') as f:
    for line in f:
        e = json.loads(line)
        if e['schema'] not in ('Company', 'Person', 'Organization', 'LegalEntity'):
            continue
        typ = 'person' if e['schema'] == 'Person' else 'company'
        names = e['properties'].get('name', []) + e['properties'].get('alias', [])
        seen = set()
        for n in names:
            script = 'cyrillic' if any('\u0400' <= c <= '\u04ff' for c in n) else (
                'latin' if all(ord(c) < 0x250 or not c.isalpha() for c in n) else None)
            if script is None or n.lower() in seen:
                continue
            seen.add(n.lower())
            add(reorder(n) if typ == 'person' else n, e['id'], 'zala-' + script, typ)

# 3. Russian companies of the 2024 SDN file, in Cyrillic as a Russian register writes them.
sdn24 = []
with open(os.path.join(data, 'ofac-sdn-2024-05-03', 'sdn.csv'), encoding='utf-8') as f:
    for row in csv.reader(f):
        if len(row) > 11 and row[2].strip() == '-0-' and 'Russia' in row[11] and \
                any(form in row[1] for form, _ in FORMS) and row[1].isascii():
            sdn24.append(row)
def russian(name):
    """Whether a Latin name reads as transliterated Russian, not English: no c outside ch, no
    w, q, x, th, ph, ee, oo (an English word a Russian register would translate, not spell)."""
    for form, _ in FORMS:
        name = name.replace(form, ' ')
    low = name.lower().replace('ch', '')
    return not any(x in low for x in ('c', 'w', 'q', 'x', 'th', 'ph', 'ee', 'oo'))
sdn24 = [row for row in sdn24 if russian(row[1])]
for row in rng.sample(sdn24, 70):
    add(cyrillic(row[1]), 'ofac-sdn-' + row[0], 'sdn2024-cyrillic', 'company')

# 4. The Kazakh entries of the 2024 SDN file, as Kazakh counterparties write them.
for q, ent in [
        ('АО ДБ Банк ВТБ (Казахстан)', '18723'), ('ДБ АО «Банк ВТБ (Казахстан)»', '18723'),
        ('Банк ВТБ (Казахстан) АҚ', '18723'), ('VTB Bank (Kazakhstan) JSC', '18723'),
        ('Bank VTB Kazakhstan', '18723'), ('ТОО «Сбер Восток»', '36427'), ('Сбер Восток ЖШС', '36427'),
        ('Sber Vostok LLP', '36427'), ('SBER VOSTOK TOO', '36427'), ('Sber Vostok', '36427'),
        ('ТОО «DA Group 22»', '47923'), ('ТОО «ДА Груп 22»', '47923'), ('DA GROUP 22 LLP', '47923'),
        ('«DA Group 22» ЖШС', '47923'), ('ТОО «Элем Груп»', '47950'), ('Elem Group LLP', '47950'),
        ('ЖШС «Элем Групп»', '47950'), ('Elem Grup TOO', '47950'), ('ТОО «Defense Engineering»', '44578'),
        ('Дефенс Энжиниринг ТОО', '44578'), ('Defense Engineering LLP', '44578'),
        ('DEFENCE ENGINEERING LIMITED LIABILITY PARTNERSHIP', '44578')]:
    add(q, 'ofac-sdn-' + ent, 'kazakh-sdn2024', 'company', 'KZ')

# 5. Names on no list: Kazakh and Russian companies and persons as they are commonly named,
# and near misses of listed names (another word where the listed one has a distinctive one).
kz = ['Алтын', 'Береке', 'Сункар', 'Тулпар', 'Кайнар', 'Жетысу', 'Нур', 'Дала', 'Атамекен',
      'Шанырак', 'Самал', 'Бастау', 'Арман', 'Жулдыз', 'Акжол', 'Каспий', 'Ертис', 'Алатау',
      'Сарыарка', 'Мерей']
trade = ['Агро', 'Транс', 'Строй', 'Сервис', 'Логистик', 'Инвест', 'Энерго', 'Мунай', 'Фарм',
         'Трейд', 'Снаб', 'Металл', 'Курылыс', 'Жол', 'Астык', 'Сауда', 'Медиа', 'Тех', 'Экспорт']
forms = ['ТОО', 'ЖШС', 'АО', 'ИП', 'LLP']
for _ in range(70):
    f = rng.choice(forms)
    n = rng.choice(kz) + ' ' + rng.choice(trade)
    add((f + ' «' + n + '»') if rng.random() < 0.5 else (n + ' ' + f), '-', 'negative-kz-company',
        'company', 'KZ')
ru_first = ['Нурлан', 'Айгуль', 'Ерлан', 'Гульнара', 'Данияр', 'Асель', 'Бауыржан', 'Жанна',
            'Серик', 'Динара', 'Алексей', 'Ольга', 'Дмитрий', 'Наталья', 'Игорь']
ru_last = ['Абенов', 'Сарсенова', 'Жумабеков', 'Касымова', 'Оспанов', 'Тулегенова', 'Муканов',
           'Ибраева', 'Смирнов', 'Кузнецова', 'Попов', 'Соколова', 'Лебедев']
for _ in range(30):
    add(rng.choice(ru_first) + ' ' + rng.choice(ru_last), '-', 'negative-person', 'person', 'KZ')
for q in ['Halyk Bank Kazakhstan JSC', 'АО «Народный Банк Казахстана»', 'Kaspi Bank JSC',
          'АО «Kaspi Bank»', 'ForteBank JSC', 'Bank CenterCredit JSC', 'АО «Банк ЦентрКредит»',
          'Jusan Bank JSC', 'Freedom Bank Kazakhstan JSC', 'Отбасы банк АО', 'Eurasian Bank JSC',
          'ТОО «Сбер Запад»', 'ТОО «Элем Строй»', 'ТОО «DA Group 23»', 'Defense Logistics LLP',
          'ТОО «Казахтелеком Сервис»', 'АО «КазМунайГаз»', 'АО «Казахтелеком»', 'Air Astana JSC',
          'АО «Самрук-Казына»', 'ТОО «Магнум Кэш энд Керри»', 'ТОО «Kcell Solutions»',
          'ООО «Ромашка»', 'ООО «Вектор Плюс»', 'ПАО «Магнит»', 'АО «Тинькофф Страхование»',
          'ООО «Яндекс.Такси»', 'ПАО «Северсталь Менеджмент»', 'ООО «Леруа Мерлен Восток»',
          'АО «Почта Банк»', 'ООО «Озон Холдинг»', 'ООО «Вайлдберриз»', 'ООО «Самокат Ритейл»']:
    add(q, '-', 'negative-near-miss', 'company', '-')

out = os.path.join(here, 'pairs.tsv')
with open(out, 'w', encoding='utf-8') as f:
    f.write('# query\texpected\tkind\ttype\tcountry  (tests/screen/make_pairs.py writes this file)\n')
    for p in pairs:
        f.write('\t'.join(p) + '\n')
print(len(pairs), 'pairs written to', out, file=sys.stderr)
