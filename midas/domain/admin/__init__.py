"""Administration: users, posts, stations (with their tokens) and stay rules, every change audited.

Functions take a Session and the acting Actor; the caller owns the transaction. Only admins
change anything here; reads are scoped by the actor's posts. One module per noun; this face
hands their public names on (`from midas.domain import admin; admin.create_user(...)`).
"""

from midas.domain.admin.checks import (
    DEFAULT_NATIONALITY,
    POST_CODE,
    check_country,
    check_nationality,
    check_timezone,
    require_admin,
)
from midas.domain.admin.posts import (
    create_post,
    deactivate_post,
    find_post,
    get_post,
    list_posts,
    update_post,
)
from midas.domain.admin.stations import (
    KEYBOARD_LAYOUTS,
    STATION_NAME_LENGTH,
    TOKEN_HINT_LENGTH,
    TOKEN_PREFIX,
    IssuedToken,
    create_station,
    deactivate_station,
    get_station,
    list_stations,
    new_station_token,
    reactivate_station,
    rotate_station_token,
    station_name_taken,
    update_station,
)
from midas.domain.admin.stay_rules import (
    delete_stay_rule,
    list_stay_rules,
    set_stay_rule,
)
from midas.domain.admin.users import (
    USERNAME,
    WrongPassword,
    audit_wrong_password,
    change_own_password,
    create_user,
    deactivate_user,
    get_user,
    list_users,
    reset_password,
    update_user,
)

__all__ = [
    "DEFAULT_NATIONALITY",
    "KEYBOARD_LAYOUTS",
    "POST_CODE",
    "STATION_NAME_LENGTH",
    "TOKEN_HINT_LENGTH",
    "TOKEN_PREFIX",
    "USERNAME",
    "IssuedToken",
    "WrongPassword",
    "audit_wrong_password",
    "change_own_password",
    "check_country",
    "check_nationality",
    "check_timezone",
    "create_post",
    "create_station",
    "create_user",
    "deactivate_post",
    "deactivate_station",
    "deactivate_user",
    "delete_stay_rule",
    "find_post",
    "get_post",
    "get_station",
    "get_user",
    "list_posts",
    "list_stations",
    "list_stay_rules",
    "list_users",
    "new_station_token",
    "reactivate_station",
    "require_admin",
    "reset_password",
    "rotate_station_token",
    "set_stay_rule",
    "station_name_taken",
    "update_post",
    "update_station",
    "update_user",
]
