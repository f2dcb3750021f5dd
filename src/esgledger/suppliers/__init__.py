"""Supplier due diligence (#16): the supplier register and, built on it, screening, tiers,
audits and conflict minerals.

- :mod:`.register_import` — suppliers, sites, contacts, agreements and certifications from
  CSV/XLSX, all or nothing (validated outside the write lock).
- :mod:`.register` — reading the register: lists with paging, one supplier with its rows,
  and spend from Scope 3 purchase lines when there are any.
"""
