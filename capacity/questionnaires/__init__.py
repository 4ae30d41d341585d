"""Questionnaires and rubrics: YAML files validated into immutable definitions, and the forms built from them."""
