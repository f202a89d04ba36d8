"""One module per client namespace; each calls the generated functions."""
