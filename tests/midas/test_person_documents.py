from midas.domain.lists import load_watchlist
from midas.domain.screening_indexes import IndexCache
from midas.persistence import database
from watchlists.models import ListKind


def test_a_listed_persons_own_passport_number_is_a_document_hit(app, tmp_path):
    persons = tmp_path / "persons.csv"
    persons.write_text(
        "entry_id,name,aliases,birth_date,nationalities,sex,document_numbers,category,action\n"
        "P1,IVAN PETROV,,1970-01-01,RUS,M,RUS:7712345678,wanted,arrest\n"
    )
    with app.app_context():
        sessions = database().sessions
        report = load_watchlist(sessions, "alerts", ListKind.PERSON, "csv", persons, "test")
        assert report.ok, report.failure
        cache = IndexCache()
        cache.build_now(sessions)
        indexes = cache.indexes(sessions)
        hits = indexes.screen_document("7712345678", "RUS")
        assert [(h.list_name, h.entry_id) for h in hits] == [("alerts", "P1")]
        assert indexes.screen_document("7712345679", "RUS") == []
