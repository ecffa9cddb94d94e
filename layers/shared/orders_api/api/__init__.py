"""Lambda entry points: the resolver, the routes and the handlers of the functions that are not routes."""
