"""Parse a visitor's query, look its words up once, and match services with it.

A query is cut into terms: words, "quoted phrases", and -excluded words or phrases.
One SQL statement (``_LOOKUP_SQL``) then tells, for every word, whether it is a stop
word of one of the four languages, whether the catalogue or the vocabulary knows it,
its tsquery in the four configurations, and, for an unknown word of four letters or
more, the known words within two edits of it; and which vocabulary entries the query
contains, with what they mean. A word is known when the lexicon or the vocabulary
holds it, or when one of the lexicon's nearest words has its stem in the same
configuration (``médecins`` is a form of ``médecin``; ``lawer``, though its French
stem ``law`` occurs in English texts, is not a form of any). From that, Python builds one tsquery group per
meaningful term (the word, OR what the vocabulary says it means, OR its correction),
and two tsqueries: every group AND-ed (all words), and every group OR-ed (some words).

The tsqueries are composed from PostgreSQL's own rendering of each group (``::text``),
joined only with operators and parentheses, and passed back as one parameter.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import reduce

from django.contrib.postgres.search import SearchQueryField, SearchRank
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import (
    BooleanField,
    F,
    Func,
    IntegerField,
    QuerySet,
    Value,
)
from django.db.models.functions import Cast
from django.http import HttpRequest
from django.utils.translation import gettext

from guichet import catalogue
from guichet.pagination import MAX_PAGE, PAST_THE_END, requested_page
from services.search.schema import MAX_WORD_LENGTH, MIN_WORD_LENGTH

MAX_QUERY_LENGTH = 200
MAX_TERMS = 8  # meaningful terms a query is searched for; the rest are ignored
MIN_TYPO_LENGTH = MIN_WORD_LENGTH  # shorter words are too ambiguous to correct
CANDIDATES = 30  # nearest known words (by trigrams) weighed for each unknown word
NEAR_FORMS = 10  # nearest known words whose stems tell whether a word is a form of one

# A word: letters, digits and underscores, with the combining marks (accents, Arabic
# diacritics) that Python's \w leaves out, so that "مُحَامِي" stays one word.
WORD = re.compile(r"(?:\w|[\u0300-\u036f\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed])+")
_TERM = re.compile(
    r'(?P<neg>(?:^|(?<=\s))-)?(?:"(?P<phrase>[^"]*)"?|(?P<word>' + WORD.pattern + "))"
)

# Words that never decide a match on their own, besides the French, Spanish and
# English stop words PostgreSQL knows (its Arabic configuration has none): Arabic and
# Darija function words, and the words people wrap a need in ("I need", "where").
STOP_WORDS = frozenset(
    """
    في من على الى إلى عن مع او أو و ثم هل ما ماذا لا لم لن ان أن إن كان هذا هذه ذلك تلك
    التي الذي الذين هو هي هم انا أنا نحن انت أنت عند كل بعض قد لقد حتى اين أين كيف متى
    اريد أريد احتاج أحتاج ابحث أبحث عن لي لك له لها فيه بها به ديال ديالي فين كيفاش
    واش شي بغيت كنقلب نقلب عافاك بزاف غير
    bghit bghina fin fen kifach wach chi shi dyal dial f l mn men w
    besoin cherche chercher veux voudrais trouver comment aidez
    need needs want looking find where how please
    necesito busco buscar quiero donde dónde como cómo
    """.split()  # noqa: SIM905 (a word list reads better as text)
)


_STOP_LIST = sorted(STOP_WORDS)


class TsQuery(Func):
    """A tsquery written out as text (PostgreSQL's own rendering, composed here)."""

    template = "%(expressions)s::tsquery"
    output_field = SearchQueryField()

    def __init__(self, text: str):
        super().__init__(Value(text))


class Matches(Func):
    """``vector @@ query``."""

    arg_joiner = " @@ "
    template = "(%(expressions)s)"
    output_field = BooleanField()


@dataclass
class Correction:
    typed: str
    corrected: str


@dataclass
class Group:
    """One meaningful term of the query and the tsquery that finds it."""

    text: str  # as typed
    query: str  # tsquery text
    meaning: str = ""  # the vocabulary entry that expanded it, normalised
    correction: str = ""  # the known word it was corrected to


@dataclass
class SearchPlan:
    """What a query was searched for: its groups, exclusions and corrections."""

    text: str
    groups: list[Group] = field(default_factory=list)
    excluded: list[str] = field(default_factory=list)  # tsquery texts
    corrections: list[Correction] = field(default_factory=list)
    corrected_text: str = ""  # the query with corrected words replaced; "" if none

    @property
    def searchable(self) -> bool:
        return bool(self.groups)

    @property
    def can_fall_back(self) -> bool:
        return len(self.groups) > 1

    def _with_exclusions(self, query: str) -> str:
        return " & ".join([f"({query})", *(f"!({q})" for q in self.excluded)])

    @property
    def all_words(self) -> str:
        return self._with_exclusions(" & ".join(f"({g.query})" for g in self.groups))

    @property
    def some_words(self) -> str:
        return self._with_exclusions(" | ".join(f"({g.query})" for g in self.groups))


@dataclass
class Term:
    text: str
    phrase: bool = False
    negated: bool = False


def split_terms(text: str) -> list[Term]:
    """Cut ``text`` into words, "quoted phrases" and -excluded words or phrases."""
    terms = []
    for match in _TERM.finditer(text):
        negated = bool(match["neg"])
        if match["phrase"] is not None:
            words = WORD.findall(match["phrase"])
            if words:
                terms.append(Term(" ".join(words), phrase=len(words) > 1, negated=negated))
        else:
            terms.append(Term(match["word"], negated=negated))
    return terms


# Rendered once: the tsquery of each vocabulary entry's meaning.
_MEANING_SQL = """
    (SELECT string_agg(DISTINCT '(' || part || ')', ' | ')
       FROM (SELECT guichet_tsquery(w)::text AS part FROM unnest(v.words) AS w
             UNION ALL
             SELECT quote_literal('category:' || c) FROM unnest(v.categories) AS c) AS parts
      WHERE part <> '')
"""

_LOOKUP_SQL = f"""
WITH token AS (
    SELECT t.ord, guichet_normalize(t.raw) AS word
      FROM unnest(%(words)s::text[]) WITH ORDINALITY AS t(raw, ord)
), checked AS (
    SELECT t.ord, t.word, guichet_tsquery(t.word)::text AS query,
           t.word IN (SELECT guichet_normalize(s) FROM unnest(%(stop)s::text[]) AS s)
           OR t.word ~ '^[0-9_]+$' OR char_length(t.word) < 2
           OR to_tsvector('french', t.word) = ''::tsvector
           OR to_tsvector('spanish', t.word) = ''::tsvector
           OR to_tsvector('english', t.word) = ''::tsvector AS stop
      FROM token AS t
), known AS (
    SELECT c.*, NOT c.stop AND (
               EXISTS (SELECT 1 FROM services_searchword AS w WHERE w.word = c.word)
            OR EXISTS (SELECT 1 FROM services_searchterm AS v WHERE v.normalized = c.word)
            OR EXISTS (
                   -- a form of a known word: the same stem in one configuration
                   SELECT 1
                     FROM (SELECT word FROM services_searchword
                            ORDER BY word <-> c.word LIMIT {NEAR_FORMS}) AS near,
                          unnest('{{arabic,french,spanish,english}}'::regconfig[]) AS config
                    WHERE to_tsvector(config, near.word) = to_tsvector(config, c.word)
                      AND to_tsvector(config, c.word) <> ''::tsvector)
           ) AS known
      FROM checked AS c
)
SELECT json_build_object(
    'words', (
        SELECT json_agg(json_build_object(
            'word', k.word, 'stop', k.stop, 'known', k.known, 'query', k.query,
            'candidates', CASE
                WHEN NOT k.known AND NOT k.stop
                     AND char_length(k.word) BETWEEN {MIN_TYPO_LENGTH} AND {MAX_WORD_LENGTH}
                THEN (SELECT json_agg(json_build_object(
                                 'word', x.word, 'similarity', similarity(x.word, k.word),
                                 'query', guichet_tsquery(x.word)::text,
                                 'meaning', (SELECT string_agg({_MEANING_SQL}, ' | ')
                                               FROM services_searchterm AS v
                                              WHERE v.normalized = x.word)))
                        FROM (SELECT near.word
                                FROM (SELECT word FROM services_searchword
                                       ORDER BY word <-> k.word LIMIT {CANDIDATES}) AS near
                               WHERE levenshtein_less_equal(near.word, k.word, 2) <= 2
                              UNION
                              SELECT v.normalized FROM services_searchterm AS v
                               WHERE strpos(v.normalized, ' ') = 0
                                 AND levenshtein_less_equal(v.normalized, k.word, 2) <= 2
                             ) AS x)
            END) ORDER BY k.ord)
          FROM known AS k),
    'literals', (
        SELECT json_agg(guichet_tsquery(l.text)::text ORDER BY l.ord)
          FROM unnest(%(literals)s::text[]) WITH ORDINALITY AS l(text, ord)),
    'vocabulary', (
        SELECT json_agg(json_build_object('term', v.normalized, 'query', {_MEANING_SQL}))
          FROM services_searchterm AS v
         WHERE strpos((SELECT ' ' || string_agg(word, ' ' ORDER BY ord) || ' ' FROM token),
                      ' ' || v.normalized || ' ') > 0)
)
"""


def osa_distance(a: str, b: str) -> int:
    """Return the optimal string alignment distance of ``a`` and ``b``: insertions,
    deletions, substitutions and swaps of two neighbouring letters each count one."""
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, char_b in enumerate(b, 1):
            cost = char_a != char_b
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and char_a == b[j - 2] and a[i - 2] == char_b:
                current[j] = min(current[j], previous2[j - 2] + 1)
        previous2, previous = previous, current
    return previous[len(b)]


def _allowed_edits(word: str) -> int:
    return 1 if len(word) < 8 else 2


def _best_correction(word: str, candidates: list[dict] | None) -> dict | None:
    """Return the nearest candidate within the edits a word of this length allows."""
    scored = []
    for candidate in candidates or []:
        distance = osa_distance(word, candidate["word"])
        if 0 < distance <= _allowed_edits(word) and candidate["query"]:
            scored.append((distance, -candidate["similarity"], candidate["word"], candidate))
    return min(scored)[3] if scored else None


# What the lookup said of recent queries' words, per catalogue version (the lexicon and
# the vocabulary are catalogue tables: any change to them moves the version). A popular
# search skips its lookup query (3-10 ms at 10,000 services).
_lookups = catalogue.Memo(size=2000)


def _lookup(words: list[str], literals: list[str]) -> dict:
    """Return what the database says of ``words`` and ``literals`` (``_LOOKUP_SQL``).

    The result is shared between requests: read it, never change it.
    """

    def read() -> dict:
        with connection.cursor() as cursor:
            cursor.execute(_LOOKUP_SQL, {"words": words, "literals": literals, "stop": _STOP_LIST})
            return cursor.fetchone()[0]

    return _lookups.get((tuple(words), tuple(literals)), read)


def _any(parts: list[str]) -> str:
    parts = list(dict.fromkeys(p for p in parts if p))
    return " | ".join(f"({p})" for p in parts)


def plan(text: str, *, correct: bool = True) -> SearchPlan:
    """Parse ``text`` and look its words up (one query); return what to search for.

    ``correct=False`` searches the words as typed, without typo corrections.
    """
    text = text.replace("\x00", "").strip()[:MAX_QUERY_LENGTH]
    result = SearchPlan(text=text)
    # No word of any language is longer than MAX_WORD_LENGTH: such a "word" is noise.
    terms = [t for t in split_terms(text) if len(t.text) <= MAX_WORD_LENGTH or t.phrase]
    words = [t for t in terms if not t.phrase and not t.negated]
    literals = [t for t in terms if t.phrase or t.negated]
    if not words and not literals:
        return result
    found = _lookup(
        [w.text for w in words],
        [f'"{t.text}"' if t.phrase else t.text for t in literals],
    )
    info = found["words"] or []
    meanings = {entry["term"]: entry["query"] for entry in found["vocabulary"] or []}
    replacements: dict[str, str] = {}

    index = 0
    while index < len(words):
        # The longest vocabulary phrase that starts here, if any.
        for end in range(len(words), index + 1, -1):
            phrase = " ".join(i["word"] for i in info[index:end])
            if phrase in meanings:
                own = " & ".join(f"({i['query']})" for i in info[index:end] if i["query"])
                result.groups.append(
                    Group(
                        " ".join(w.text for w in words[index:end]),
                        _any([own, meanings[phrase]]),
                        meaning=phrase,
                    )
                )
                index = end
                break
        else:
            word, about = words[index], info[index]
            index += 1
            if about["word"] in meanings:
                result.groups.append(
                    Group(word.text, _any([about["query"], meanings[about["word"]]]), about["word"])
                )
                continue
            if about["stop"] or not about["query"]:
                continue
            best = (
                None
                if about["known"] or not correct
                else _best_correction(about["word"], about["candidates"])
            )
            if best:
                result.corrections.append(Correction(word.text, best["word"]))
                replacements[word.text] = best["word"]
                # A correction to a vocabulary term brings what the term means.
                query = _any([about["query"], best["query"], best["meaning"] or ""])
                result.groups.append(Group(word.text, query, correction=best["word"]))
            else:
                result.groups.append(Group(word.text, about["query"]))

    for term, query in zip(literals, found["literals"] or [], strict=False):
        if not query:
            continue
        if term.negated:
            result.excluded.append(query)
        else:
            result.groups.append(Group(term.text, query))

    result.groups = result.groups[:MAX_TERMS]
    if replacements:
        result.corrected_text = WORD.sub(lambda m: replacements.get(m.group(0), m.group(0)), text)
    return result


def _vector():
    return F("search_vector")


def _rank(query: TsQuery) -> SearchRank:
    """How well a service matches (0010's narrower rank vector was withdrawn by 0011:
    it made every row twice as wide as half a page)."""
    return SearchRank(_vector(), query)


def matching_all(queryset: QuerySet, search_plan: SearchPlan) -> QuerySet:
    """The services matching every term, best first (``rank``)."""
    query = TsQuery(search_plan.all_words)
    return (
        queryset.filter(Matches(_vector(), query))
        .annotate(rank=_rank(query))
        .order_by("-rank", "slug")
    )


def matching_some(queryset: QuerySet, search_plan: SearchPlan) -> QuerySet:
    """The services matching some terms: those matching all come first, then by how
    many terms (``hits``) and how well (``rank``) they match."""
    query = TsQuery(search_plan.some_words)
    hits = reduce(
        operator.add,
        [Cast(Matches(_vector(), TsQuery(g.query)), IntegerField()) for g in search_plan.groups],
    )
    return (
        queryset.filter(Matches(_vector(), query))
        .annotate(
            all_words=Matches(_vector(), TsQuery(search_plan.all_words)),
            hits=hits,
            rank=_rank(query),
        )
        .order_by("-all_words", "-hits", "-rank", "slug")
    )


@dataclass
class SearchResult:
    """A query's plan and the services it finds (see ``search``)."""

    plan: SearchPlan
    queryset: QuerySet  # the services to search among, filters applied

    @property
    def all_words(self) -> QuerySet:
        if not self.plan.searchable:
            return self.queryset.none()
        return matching_all(self.queryset, self.plan)

    @property
    def some_words(self) -> QuerySet:
        if not self.plan.searchable:
            return self.queryset.none()
        return matching_some(self.queryset, self.plan)

    def ranked(self, per_page: int) -> tuple[QuerySet, bool]:
        """Return the services to list and whether the list fell back to some words.

        Counts the all-words matches first (one query): when they are fewer than
        ``per_page`` and the query has several terms, the list goes on with the
        services that match some of them.
        """
        exact = self.all_words
        if self.plan.can_fall_back and exact.count() < per_page:
            return self.some_words, True
        return exact, False


def search(queryset: QuerySet, text: str, *, correct: bool = True) -> SearchResult:
    """Search ``queryset`` (services) for ``text``: one lookup query, then lazy querysets."""
    return SearchResult(plan(text, correct=correct), queryset)


@dataclass
class SearchPage:
    """A page of search results: the page, a notice about its number, how many of its
    rows match every term (they come first), and whether the list fell back."""

    page: Page
    notice: str
    exact_on_page: int
    fallback: bool


def paginate_search(
    request: HttpRequest,
    result: SearchResult,
    per_page: int,
    fetch: Callable[[list], Sequence],
) -> SearchPage:
    """Return the requested page of ``result``, its keys read with their counts first.

    One query when a page or more matches every term: it matches, ranks and counts
    on keys only, then ``fetch(keys)`` loads the page's rows. When fewer match every
    term, and the query has several, a second query reads the page of the list that
    goes on with the services matching some terms. A page past the end costs a count
    and a second key query, as it must find the last page.
    """
    number, notice = requested_page(request)
    rows = _ranked_keys(result.all_words, number, per_page)
    if not result.plan.can_fall_back or (rows and rows[0][1] >= per_page):
        if not rows and number > 1:
            total = result.all_words.count()
            number, notice = max(1, -(-total // per_page)), gettext(PAST_THE_END)
            rows = _ranked_keys(result.all_words, number, per_page) if total else []
        total = rows[0][1] if rows else 0
        return SearchPage(_page(rows, number, total, per_page, fetch), notice, len(rows), False)
    rows = _ranked_keys(result.some_words, number, per_page, fallback=True)
    if not rows and number > 1:
        total = result.some_words.count()
        number, notice = max(1, -(-total // per_page)), gettext(PAST_THE_END)
        rows = _ranked_keys(result.some_words, number, per_page, fallback=True)
    total, exact = (rows[0][1], rows[0][2]) if rows else (0, 0)
    exact_on_page = max(0, min(len(rows), exact - (number - 1) * per_page))
    return SearchPage(_page(rows, number, total, per_page, fetch), notice, exact_on_page, True)


def _ranked_keys(
    ranked: QuerySet, number: int, per_page: int, *, fallback: bool = False
) -> list[tuple]:
    """Return the page ``number`` of ``ranked`` (``matching_all`` or, with ``fallback``,
    ``matching_some``) as rows of (key, number of matches[, of which all words]).

    The ranking is computed in a materialised subquery that selects only what the
    order needs, so the window count above it carries narrow rows, not every matching
    row's search vector (which, for a broad word, spilled to disk), and the sort keeps
    only the page.
    """
    if number > MAX_PAGE or ranked.query.is_empty():  # past the end, or nothing to search
        return []
    order = ["_all DESC", "_hits DESC"] if fallback else []
    columns = {"_key": F("pk"), "_slug": F("slug"), "_rank": F("rank")}
    if fallback:
        columns.update(_all=F("all_words"), _hits=F("hits"))
    inner = ranked.order_by().annotate(**columns).values(*columns)
    sql, params = inner.query.sql_with_params()
    exact = ", sum(_all::integer) OVER ()" if fallback else ""
    order_by = ", ".join([*order, "_rank DESC", "_slug"])
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH ranked AS MATERIALIZED ({sql}) "
            f"SELECT _key, count(*) OVER (){exact} FROM ranked "
            f"ORDER BY {order_by} LIMIT %s OFFSET %s",
            [*params, per_page, (number - 1) * per_page],
        )
        return cursor.fetchall()


def _page(rows: list, number: int, total: int, per_page: int, fetch) -> Page:
    paginator = Paginator([], per_page)
    paginator.count = total
    keys = [row[0] for row in rows]
    return Page(fetch(keys) if keys else [], number, paginator)
