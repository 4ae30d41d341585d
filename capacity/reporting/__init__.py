"""Reports: plain view models built from scores, charts (matplotlib Figure API) and PDFs (WeasyPrint)."""
