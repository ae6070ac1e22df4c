"""The Textual app: a thin layer over the routines, the session engine and the history store.

The only package that imports textual.
"""
