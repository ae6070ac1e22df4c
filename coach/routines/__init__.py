"""Routines: the model of a routine file, its loader and validation, and the catalog of bundled and user files.

Plain Python: nothing here imports textual.
"""
