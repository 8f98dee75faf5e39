"""Deterministic, model-free readers of clinical free text.

Vital signs, demographics, pregnancy, allergies and medications read by precompiled regular
expressions, each value tied to the words it came from. The triage engine and the assistant's
extraction both build on this package, so it imports neither of them.
"""
