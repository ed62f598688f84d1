"""Importing survey exports (CSV, XLSX) as client feedback: `kokemusvirta import`.

mapping.py reads and checks the mapping file, readers.py the export, rows.py turns a row into a
contract-valid record or a bad row (pure), ledger.py remembers what was published, importer.py
puts them together; docs/importing.md describes the mapping format.
"""
