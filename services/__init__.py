"""Orderflow's services; each imports only ``contracts``, ``shared`` and itself."""
