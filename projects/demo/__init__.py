"""Demo data of the projects app (bureau's seed_demo composes the apps)."""

from projects.demo.applications import seed_projects
from projects.demo.rewards import seed_rewards
from projects.demo.upward import seed_upward

__all__ = ["seed_projects", "seed_rewards", "seed_upward"]
