"""Transitional alias: bureau/management/commands/seed_demo.py still imports
`projects.demo_rewards`. Delete this file once it imports
`from projects.demo import seed_rewards`."""

from projects.demo import seed_rewards

__all__ = ["seed_rewards"]
