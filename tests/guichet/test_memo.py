"""guichet.catalogue.Memo: values kept per catalogue version, bounded, least recently
used out first, and only within a request whose catalogue version is pinned."""

from django.db import connection

from guichet import catalogue


def _bump() -> None:
    with connection.cursor() as cursor:
        cursor.execute("UPDATE guichet_catalogueversion SET version = version + 1 WHERE id = 1")


class Counter:
    def __init__(self):
        self.calls = 0

    def __call__(self, value="v"):
        def compute():
            self.calls += 1
            return value

        return compute


def test_outside_a_pinned_request_it_computes_every_time(db):
    memo, count = catalogue.Memo(size=10), Counter()
    assert memo.get("k", count()) == "v"
    assert memo.get("k", count()) == "v"
    assert count.calls == 2


def test_within_a_version_it_computes_once(db):
    memo, count = catalogue.Memo(size=10), Counter()
    with catalogue.pinned():
        memo.get("k", count())
        memo.get("k", count())
    with catalogue.pinned():
        memo.get("k", count())
    assert count.calls == 1


def test_a_new_version_computes_again(db):
    memo, count = catalogue.Memo(size=10), Counter()
    with catalogue.pinned():
        assert memo.get("k", count("old")) == "old"
    _bump()
    with catalogue.pinned():
        assert memo.get("k", count("new")) == "new"
    assert count.calls == 2


def test_it_keeps_at_most_its_size_least_recently_used_out_first(db):
    memo = catalogue.Memo(size=3)
    count = Counter()
    with catalogue.pinned():
        for key in "abc":
            memo.get(key, count(key))
        memo.get("a", count("a"))  # used again: "b" is now the oldest
        memo.get("d", count("d"))
        assert len(memo._entries) == 3
        calls = count.calls
        memo.get("a", count("a"))
        memo.get("c", count("c"))
        assert count.calls == calls  # kept
        memo.get("b", count("b"))
        assert count.calls == calls + 1  # pushed out, computed again


def test_get_many_computes_only_what_is_missing(db):
    memo = catalogue.Memo(size=10)
    asked = []

    def compute(missing):
        asked.append(list(missing))
        return {key: key * 2 for key in missing if key != "gone"}

    with catalogue.pinned():
        assert memo.get_many(["a", "b"], compute) == {"a": "aa", "b": "bb"}
        assert memo.get_many(["b", "c", "gone"], compute) == {"b": "bb", "c": "cc"}
    assert asked == [["a", "b"], ["c", "gone"]]


def test_forget_memos_empties_every_memo(db):
    memo, count = catalogue.Memo(size=10), Counter()
    with catalogue.pinned():
        memo.get("k", count())
        catalogue.forget_memos()
        memo.get("k", count())
    assert count.calls == 2
