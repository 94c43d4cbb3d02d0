"""Two happenings of the same kind (invented earthquakes) stay two events."""

from __future__ import annotations

from storyline import Storyline
from storyline.models import RawDocument

QUAKE_NORTH = [
    (
        "Earthquake of magnitude 6.2 shakes Korvenna province",
        "2031-03-04",
        "An earthquake of magnitude 6.2 struck the northern province of Korvenna on Tuesday, "
        "collapsing the old grain market in the town of Ulst and killing at least 14 people, "
        "provincial governor Ileana Broch said. Rescue teams from Ulst searched the rubble "
        "through the night while aftershocks rattled the valley. The Korvenna seismic office "
        "said the quake was centred 12 kilometres below Ulst.",
    ),
    (
        "Korvenna quake toll rises to 21 as Ulst digs out",
        "2031-03-05",
        "The death toll from Tuesday's magnitude 6.2 earthquake in Korvenna rose to 21, governor "
        "Ileana Broch told reporters in Ulst on Wednesday. Hundreds of families from Ulst slept in "
        "tents outside the collapsed grain market as aftershocks continued, and the Korvenna "
        "seismic office warned of further tremors near the town.",
    ),
]
QUAKE_SOUTH = [
    (
        "Strong quake hits Pelmar coast, harbour of Dosca damaged",
        "2031-09-17",
        "A magnitude 5.8 earthquake hit the southern coast of Pelmar on Sunday, cracking the "
        "harbour wall at Dosca and injuring 30 people, mayor Tobiah Renn said. Fishing boats were "
        "thrown against the quay in Dosca and the Pelmar coastguard closed the port while "
        "engineers inspected the damage to the lighthouse.",
    ),
    (
        "Dosca harbour reopens days after Pelmar earthquake",
        "2031-09-19",
        "The harbour of Dosca reopened on Tuesday, two days after the magnitude 5.8 earthquake "
        "on the Pelmar coast, mayor Tobiah Renn said. The Pelmar coastguard allowed fishing boats "
        "back to the repaired quay, although the lighthouse at Dosca stays closed for repairs.",
    ),
]


def _documents(reports):
    return [
        RawDocument(source=f"hand/{title}.txt", text=text, title=title, published=day)
        for title, day, text in reports
    ]


def test_two_earthquakes_stay_two_events(storyline: Storyline):
    storyline.ingest_documents(_documents(QUAKE_NORTH + QUAKE_SOUTH))
    titles = {a.id: a.title for a in storyline.articles()}
    groups = sorted(sorted(titles[a] for a in e.articles) for e in storyline.events())
    assert groups == sorted(
        [sorted(t for t, _, _ in QUAKE_NORTH), sorted(t for t, _, _ in QUAKE_SOUTH)]
    )


def test_earthquakes_arriving_interleaved_stay_apart(storyline: Storyline):
    mixed = [QUAKE_SOUTH[0], QUAKE_NORTH[0], QUAKE_SOUTH[1], QUAKE_NORTH[1]]
    for document in _documents(mixed):
        storyline.ingest_documents([document])
    sizes = sorted(len(e.articles) for e in storyline.events())
    assert sizes == [2, 2]
    north = {a.id for a in storyline.articles() if "Korvenna" in a.text}
    assert any(set(e.articles) == north for e in storyline.events())
