"""Benchmarks of the bot on loopback: ``python -m bench`` runs them all and prints one table.

Each figure stands beside a baseline measured in the same run (a bare aiogram echo bot on
the same Bot API stand-in, a naive poller, the flood-control floor), as medians of several
runs: the machine is small and noisy, so ratios say more than absolute numbers.
"""
