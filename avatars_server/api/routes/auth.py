"""Routes of the `auth` tag: login and password reset."""

from __future__ import annotations

import logging
from typing import Annotated

from fastapi import APIRouter, Form

from avatars_server.api.deps import SessionDep, SettingsDep
from avatars_server.api.throttle import FORGOTTEN_PASSWORD, LOGIN, RESET_PASSWORD, ThrottleDep
from avatars_server.errors import InvalidInputError, NotAuthenticatedError
from avatars_server.schemas.auth import (
    ForgottenPasswordRequest,
    Login,
    LoginResponse,
    ResetPasswordRequest,
)
from avatars_server.schemas.common import MessageResponse, error_responses
from avatars_server.security import create_access_token, verify_password
from avatars_server.storage import users

logger = logging.getLogger(__name__)

router = APIRouter(tags=["auth"])


@router.post(
    "/login",
    operation_id="login",
    response_model=LoginResponse,
    responses=error_responses(401, 429),
)
def login(
    form: Annotated[Login, Form()],
    session: SessionDep,
    settings: SettingsDep,
    throttle: ThrottleDep,
) -> LoginResponse:
    """Exchange a username (or email) and password for a bearer token.

    After too many failures for the name or from the address, 429 with Retry-After.
    """
    throttle.check(LOGIN, form.username)
    user = users.get_user_by_login(session, form.username)
    # Unknown accounts verify against a dummy hash: same time, same answer.
    if not verify_password(user.password_hash if user else None, form.password) or user is None:
        throttle.failed(LOGIN, form.username)
        raise NotAuthenticatedError(
            "Incorrect username or password. Check your credentials, or reset your password "
            "with POST /login/forgotten_password.",
            detail="Not authenticated: incorrect username or password",
        )
    throttle.succeeded(LOGIN, form.username)
    token = create_access_token(
        user.id,
        secret_key=settings.resolved_secret_key(),
        lifetime_seconds=settings.token_lifetime_seconds,
        version=user.token_version,
    )
    return LoginResponse(access_token=token, token_type="bearer")


@router.post(
    "/login/forgotten_password",
    operation_id="forgotten_password",
    response_model=MessageResponse,
    responses=error_responses(429),
)
def forgotten_password(
    request: ForgottenPasswordRequest,
    session: SessionDep,
    settings: SettingsDep,
    throttle: ThrottleDep,
) -> MessageResponse:
    """Issue a single-use reset token, delivered out of band (logged by this server).

    Every request counts towards the throttle, whether or not the email is known.
    """
    throttle.check(FORGOTTEN_PASSWORD, request.email)
    throttle.failed(FORGOTTEN_PASSWORD, request.email)
    user = users.get_user_by_login(session, request.email)
    if user is not None and user.email == request.email:
        token = users.create_reset_token(
            session, user, lifetime_seconds=settings.reset_token_lifetime_seconds
        )
        # No mail transport in the reference server: the operator reads the token from the log.
        logger.warning("Password reset token for user %s: %s", user.id, token)
    return MessageResponse(
        message="If an account has this email, a reset token has been sent to it."
    )


@router.post(
    "/login/reset_password",
    operation_id="reset_password",
    response_model=MessageResponse,
    responses=error_responses(401, 429),
)
def reset_password(
    request: ResetPasswordRequest, session: SessionDep, throttle: ThrottleDep
) -> MessageResponse:
    """Set a new password with a reset token; every token issued before stops working."""
    throttle.check(RESET_PASSWORD, request.email)
    if request.new_password != request.new_password_repeated:
        raise InvalidInputError(
            "new_password and new_password_repeated differ. Type the same password twice."
        )
    user = users.consume_reset_token(session, token=request.token, email=request.email)
    if user is None:
        throttle.failed(RESET_PASSWORD, request.email)
        raise NotAuthenticatedError(
            "The reset token is unknown, expired, already used or not issued for this email. "
            "Ask for a new one with POST /login/forgotten_password.",
            detail="Not authenticated: invalid reset token",
        )
    users.set_password(session, user, request.new_password)
    # The owner proved control of the mailbox: the account's login lock ends too.
    for name in (user.username, user.email):
        if name:
            throttle.succeeded(LOGIN, name)
    throttle.succeeded(RESET_PASSWORD, request.email)
    return MessageResponse(message="Your password has been reset. Log in with the new one.")
