"""Routes of the `users` tag."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Request, Response, status

from avatars_server.api.deps import AdminUser, CurrentUser, SessionDep
from avatars_server.api.paging import PageDep, paginate
from avatars_server.api.views.users import user_schema
from avatars_server.errors import NotFoundError, PermissionDeniedError
from avatars_server.schemas.common import error_responses
from avatars_server.schemas.users import CreateUser, User, UserRole
from avatars_server.storage import users

router = APIRouter(tags=["users"], responses=error_responses(401))


@router.get("/users/me", operation_id="get_me", response_model=User)
def get_me(user: CurrentUser) -> User:
    return user_schema(user)


@router.get(
    "/users", operation_id="find_users", response_model=list[User], responses=error_responses(403)
)
def find_users(
    admin: AdminUser,
    session: SessionDep,
    request: Request,
    response: Response,
    page: PageDep,
    email: str | None = None,
    username: str | None = None,
) -> list[User]:
    rows = users.find_users(
        session,
        organization_id=admin.organization_id,
        username=username,
        email=email,
        limit=page.fetch,
        offset=page.offset,
    )
    return [user_schema(row) for row in paginate(rows, page, request, response)]


@router.post(
    "/users",
    operation_id="create_user",
    response_model=User,
    status_code=status.HTTP_201_CREATED,
    responses=error_responses(403, 409),
)
def create_user(request: CreateUser, admin: AdminUser, session: SessionDep) -> User:
    row = users.create_user(
        session,
        username=request.username,
        email=request.email,
        password=request.password,
        role=(request.role or UserRole.user).value,
        organization_id=admin.organization_id,
    )
    return user_schema(row)


@router.get(
    "/users/{id}",
    operation_id="get_user",
    response_model=User,
    responses=error_responses(403, 404),
)
def get_user(id: uuid.UUID, user: CurrentUser, session: SessionDep) -> User:
    if user.id != id and user.role != "admin":
        raise PermissionDeniedError(
            "Only administrators can read other users. Use GET /users/me for your own account."
        )
    row = users.get_user(session, id)
    if row is None or row.organization_id != user.organization_id:
        raise NotFoundError(f"No user with id {id}. Check the id.")
    return user_schema(row)
