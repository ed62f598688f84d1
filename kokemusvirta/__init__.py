"""Kokemusvirta: did what clients told us reach the people who decide, and did an answer
come back?"""
