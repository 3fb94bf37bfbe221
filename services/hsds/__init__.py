"""Open data: the catalogue as Open Referral HSDS 3.0, out (API, tabular export) and in (import).

- ``serializers``: models → HSDS objects (dicts), the one mapping the API and export share.
- ``views`` and ``urls``: the read-only JSON API under /api/hsds/ and the tabular download.
- ``tabular``: the tabular data package (CSV files and datapackage.json).
- ``reading``: a JSON document, a folder of CSV files or a zip of them → records.
- ``writing``: records → associations, locations, services, hours, languages, categories.

Nothing else in the project imports this package except the root URLconf and the
``export_hsds`` / ``import_hsds`` management commands.
"""
