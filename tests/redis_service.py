"""This machine's Redis for the queue tests (django-tasks-rq), in a database of its own."""

import redis

REDIS_URL = "redis://127.0.0.1:6379/15"  # emptied by the tests that use it


def redis_up() -> bool:
    try:
        return redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.RedisError:
        return False
