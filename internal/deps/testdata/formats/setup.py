from setuptools import setup

setup(
    name="tool",
    install_requires=[
        "requests[socks]>=2.28",
        'pywin32==306; sys_platform == "win32"',
        "mylib @ https://files.example.invalid/mylib-1.0-py3-none-any.whl",
    ],
    extras_require={"yaml": ["PyYAML>=6"]},
)
