"""The Orders API on one machine: moto for AWS, an API Gateway emulator, the scheduled mailer.

`python -m orders_local` runs it; tests reuse `template.load_template` and
`template.create_tables` so their tables match the deployed ones.
"""
