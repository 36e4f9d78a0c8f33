"""Agreement with hand-coded gold: themes and instruments (P/R/F1, Cohen's kappa), indicator values (P/R and
year, kind, qualifier accuracy). Both share :mod:`.scores`."""
