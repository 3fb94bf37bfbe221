"""The search vocabulary's rules and its CSV form (the admin imports and exports it)."""

import csv
import io
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from services.search.engine import WORD

MAX_MEANINGS = 20  # words and categories together: more would flood every search
CSV_COLUMNS = ["term", "language", "words", "categories", "note"]


def clean_text(text: str) -> str:
    """Return ``text`` as the search reads it: its words, separated by single spaces."""
    return " ".join(WORD.findall(text or ""))


def validate_term(entry) -> None:
    """Check a vocabulary entry (``SearchTerm``) before it is saved.

    Its term and words are reduced to their words; it must mean something, not too
    much, not itself, and not a term that means it back (A means B, B means A).
    """
    from services.models import Category, SearchTerm

    errors: dict[str, list[str]] = {}
    entry.term = clean_text(entry.term)
    entry.words = list(dict.fromkeys(w for w in (clean_text(w) for w in entry.words) if w))
    entry.categories = list(dict.fromkeys(c.strip() for c in entry.categories if c.strip()))
    if not entry.term:
        errors.setdefault("term", []).append(_("Write a word or a phrase."))
    if not entry.words and not entry.categories:
        errors.setdefault("words", []).append(_("Give at least one catalogue word or category."))
    if len(entry.words) + len(entry.categories) > MAX_MEANINGS:
        errors.setdefault("words", []).append(
            _(
                "A term may mean at most %(count)d words and categories: it would flood every search."
            )
            % {"count": MAX_MEANINGS}
        )
    unknown = set(entry.categories) - set(
        Category.objects.filter(slug__in=entry.categories).values_list("slug", flat=True)
    )
    if unknown:
        errors.setdefault("categories", []).append(
            _("Unknown categories: %(slugs)s.") % {"slugs": ", ".join(sorted(unknown))}
        )
    if entry.term:
        normal = _normalized([entry.term, *entry.words])
        term_key, word_keys = normal[0], normal[1:]
        if term_key in word_keys:
            errors.setdefault("words", []).append(_("A term cannot mean itself."))
        others = SearchTerm.objects.exclude(pk=entry.pk)
        if others.filter(normalized=term_key, language=entry.language).exists():
            errors.setdefault("term", []).append(_("This term already exists in this language."))
        for other in others.filter(normalized__in=word_keys):
            if term_key in _normalized(other.words):
                errors.setdefault("words", []).append(
                    _("“%(other)s” already means “%(term)s”: the two would loop.")
                    % {"other": other.term, "term": entry.term}
                )
    if errors:
        raise ValidationError(errors)


def _normalized(texts: list[str]) -> list[str]:
    from django.db import connection

    if not texts:
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT guichet_normalize(t) FROM unnest(%s::text[]) WITH ORDINALITY AS x(t, o) "
            "ORDER BY o",
            [list(texts)],
        )
        return [row[0] for row in cursor.fetchall()]


def export_csv(entries) -> str:
    """Return ``entries`` as CSV: term, language, words and categories (comma-separated)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for entry in entries:
        writer.writerow(
            [
                entry.term,
                entry.language,
                ", ".join(entry.words),
                ", ".join(entry.categories),
                entry.note,
            ]
        )
    return out.getvalue()


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    errors: list[str] = field(default_factory=list)


def import_csv(text: str) -> ImportReport:
    """Create or update vocabulary entries from CSV (the columns of ``export_csv``).

    Entries are matched by term and language, so importing twice updates. Each row is
    saved whole or not at all; a row that cannot be is reported by its line number and
    the import goes on.
    """
    from services.models import SearchTerm

    report = ImportReport()
    reader = csv.DictReader(io.StringIO(text))
    missing = {"term", "words"} - set(reader.fieldnames or [])
    if missing:
        report.errors.append(
            _("The file has no column %(columns)s.") % {"columns": ", ".join(sorted(missing))}
        )
        return report
    for line, row in enumerate(reader, start=2):
        term = clean_text(row.get("term") or "")
        language = (row.get("language") or "").strip() or SearchTerm.Language.ANY
        entry = SearchTerm.objects.filter(term=term, language=language).first() or SearchTerm(
            term=term, language=language
        )
        created = entry.pk is None
        entry.words = _split(row.get("words"))
        entry.categories = _split(row.get("categories"))
        entry.note = (row.get("note") or "").strip()[:200]
        try:
            with transaction.atomic():
                entry.full_clean()
                entry.save()
        except ValidationError as error:
            messages = "; ".join(
                f"{name}: {' '.join(text)}" for name, text in error.message_dict.items()
            )
            report.errors.append(
                _("Line %(line)d: %(errors)s") % {"line": line, "errors": messages}
            )
            continue
        if created:
            report.created += 1
        else:
            report.updated += 1
    return report


def _split(value: str | None) -> list[str]:
    return [part.strip() for part in (value or "").replace(";", ",").split(",") if part.strip()]
