"""The audits context: risk-limiting audits of the count and the observers' parallel check (issue 11)."""
