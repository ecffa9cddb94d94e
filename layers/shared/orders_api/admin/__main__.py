"""Lets `python -m orders_api.admin` run the admin command line where the script is not installed."""

from orders_api.admin.cli import main

raise SystemExit(main())
