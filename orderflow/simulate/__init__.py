"""The world outside the services, played through their public interfaces only (HTTP APIs and
the sales command queue), on the simulated clock the services run on.

``World.connect(services)`` then ``await play(world, orders, seed)`` gives a ``Report``; the
actors (one module per kind) can also be driven one by one."""

from orderflow.simulate.plan import OrderPlan, draw_all
from orderflow.simulate.report import Outcome, Report
from orderflow.simulate.story import play
from orderflow.simulate.world import World

__all__ = ["OrderPlan", "Outcome", "Report", "World", "draw_all", "play"]
