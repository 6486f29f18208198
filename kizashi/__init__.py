"""Kizashi: a sourced ledger of claims about the Russia–North Korea exchange."""
__version__ = "0.1.0"
