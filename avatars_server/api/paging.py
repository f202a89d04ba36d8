"""Page size caps of the list routes: `limit` (at most AVATARS_MAX_PAGE_SIZE, the default) and
`offset` query parameters; a page that is not the last says where the next one starts
(`Link: <...>; rel="next"`, `X-Next-Offset`, and a readable `X-Page-Note`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Annotated, TypeVar

from fastapi import Depends, Query, Request, Response

from avatars_server.api.deps import SettingsDep
from avatars_server.errors import InvalidInputError

T = TypeVar("T")


@dataclass(frozen=True)
class Page:
    limit: int
    offset: int

    @property
    def fetch(self) -> int:
        """Rows to ask the database for: one more than the page, to know if more follow."""
        return self.limit + 1


def get_page(
    settings: SettingsDep,
    limit: Annotated[
        int | None,
        Query(ge=1, description="Most items to return; default and maximum: the server's cap"),
    ] = None,
    offset: Annotated[
        int, Query(ge=0, le=2**53, description="Items to skip (for the next page)")
    ] = 0,
) -> Page:
    cap = settings.max_page_size
    if limit is not None and limit > cap:
        raise InvalidInputError(
            f"limit={limit} is above this server's page size cap of {cap}. Ask for at most "
            f"{cap} items and page with offset, or ask the administrator to raise "
            "AVATARS_MAX_PAGE_SIZE.",
            detail={"max_page_size": cap},
        )
    return Page(limit=limit or cap, offset=offset)


PageDep = Annotated[Page, Depends(get_page)]


def paginate(rows: Sequence[T], page: Page, request: Request, response: Response) -> list[T]:
    """The page's rows (fetched with `page.fetch`); headers say where the next page starts."""
    if len(rows) <= page.limit:
        return list(rows)
    next_offset = page.offset + page.limit
    url = request.url.include_query_params(limit=page.limit, offset=next_offset)
    response.headers["Link"] = f'<{url}>; rel="next"'
    response.headers["X-Next-Offset"] = str(next_offset)
    response.headers["X-Page-Note"] = (
        f"Only {page.limit} items are listed (page size cap: AVATARS_MAX_PAGE_SIZE); ask for "
        f"the next ones with offset={next_offset}."
    )
    return list(rows[: page.limit])
