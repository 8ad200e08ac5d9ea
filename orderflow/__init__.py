"""The product around the services: one command line to run, simulate and operate Orderflow."""
