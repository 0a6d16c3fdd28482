"""Opgroeiruimte Live: live, guided dialogue workshops."""
