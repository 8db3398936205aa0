"""A tiny example package."""


def greet(name):
    return f"hello, {name}"
