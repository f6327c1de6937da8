"""Drives Taskspin's /mcp endpoint with the official MCP Python SDK.

Usage: client.py URL [TOKEN]. With a token: lists the tools, adds, lists and
completes a task, and prints what it saw as one JSON line. Without one: prints
{"refused": ...} when the server turns the client away.
"""

import asyncio
import json
import sys

import httpx2
from mcp.client import Client
from mcp.client.streamable_http import streamable_http_client


def structured(result):
    assert not result.is_error, result
    return result.structured_content


async def session(url, token):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    async with httpx2.AsyncClient(headers=headers, timeout=30) as http:
        async with Client(streamable_http_client(url, http_client=http)) as client:
            tools = sorted(tool.name for tool in (await client.list_tools()).tools)
            added = structured(await client.call_tool("add_task", {"title": "Written over MCP", "priority": "high"}))
            listed = structured(await client.call_tool("list_tasks", {}))
            done = structured(await client.call_tool("complete_task", {"task_id": added["task_id"]}))
            missing = await client.call_tool("complete_task", {"task_id": 999999999})
            return {
                "protocol_version": client.protocol_version,
                "tools": tools,
                "added": added,
                "listed": [task["title"] for task in listed["tasks"]],
                "completed": done,
                "missing_is_error": missing.is_error,
            }


def leaves(error):
    """The innermost errors of (nested) exception groups."""
    if isinstance(error, BaseExceptionGroup):
        return [leaf for inner in error.exceptions for leaf in leaves(inner)]
    return [error]


def main():
    url = sys.argv[1]
    token = sys.argv[2] if len(sys.argv) > 2 else None
    try:
        print(json.dumps(asyncio.run(session(url, token))))
    except Exception as error:  # the SDK raises its own and httpx2's errors
        if token:
            raise
        reasons = [f"{type(leaf).__name__}: {leaf} {getattr(leaf, 'error', '')!r}" for leaf in leaves(error)]
        print(json.dumps({"refused": "; ".join(reasons)}))


if __name__ == "__main__":
    main()
