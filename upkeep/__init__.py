"""Keeping the catalogue true: what the people who use it and the associations that run
its services tell the city.

- ``models``: problem reports from the public, "still correct" confirmations;
- ``workflow``: every write (report, close, confirm), each in one transaction;
- ``views`` / ``urls``: the public "report a problem" page and the association staff's
  pages in the staff area.
"""
