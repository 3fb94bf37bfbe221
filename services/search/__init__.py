"""Search of the catalogue: in the four languages and Darija, accent- and typo-tolerant.

- ``schema``: how PostgreSQL keeps each service's search vector and the typo lexicon
  (triggers: whatever saves a service, the index follows);
- ``engine``: how a query is parsed, corrected, expanded with the vocabulary and
  matched (all words first, then some words);
- ``vocabulary``: the rules of the vocabulary people's words are looked up in, and
  its CSV form.
"""

from services.search.engine import MAX_QUERY_LENGTH, SearchPlan, SearchResult, search

__all__ = ["MAX_QUERY_LENGTH", "SearchPlan", "SearchResult", "search"]
