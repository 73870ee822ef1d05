"""The three people of the sandbox: an admin, a manager and a stranger, and their team's
group chat.

The admin is the admin because their id is in ADMIN_IDS, as in production; the manager's
role is stored in the database before the bot starts, as if an admin had approved them
long ago; the stranger has no role, so writing to the bot asks the admin for access.
The group ("Команда" / "Team") has all three in it, and the admin adds the bot to it at
the start, so that ``/alerts`` there binds it as the team's alert channel.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from storage import Role, Storage
from testbed.standin import BotApiStandin, SimGroup


@dataclass(frozen=True)
class Person:
    user_id: int
    first_name: str
    role: Role | None
    kind: str  # what the page calls them: admin, manager, stranger

    def view(self, language: str) -> dict[str, Any]:
        return {
            "user_id": self.user_id,
            "first_name": self.first_name,
            "kind": self.kind,
            "role": self.role.value if self.role else None,
            "language": language,
        }


ADMIN = Person(1001, "Alla", Role.ADMIN, "admin")
MANAGER = Person(2002, "Max", Role.MANAGER, "manager")
STRANGER = Person(3003, "Stan", None, "stranger")
PEOPLE = (ADMIN, MANAGER, STRANGER)


@dataclass(frozen=True)
class Group:
    chat_id: int
    titles: tuple[tuple[str, str], ...]  # (language, title)
    members: tuple[Person, ...]

    def title(self, language: str) -> str:
        return dict(self.titles).get(language) or self.titles[0][1]

    def view(self, language: str) -> dict[str, Any]:
        return {
            "chat_id": self.chat_id,
            "title": self.title(language),
            "kind": "group",
            "members": [person.user_id for person in self.members],
        }


TEAM = Group(-5005, (("ru", "Команда"), ("en", "Team")), PEOPLE)
GROUPS = (TEAM,)


def admin_ids(people: Iterable[Person] = PEOPLE) -> str:
    """ADMIN_IDS as the settings read it."""
    return ",".join(str(person.user_id) for person in people if person.role is Role.ADMIN)


def open_chats(standin: BotApiStandin, language: str, people: Iterable[Person] = PEOPLE) -> None:
    """Give everyone a private chat with the bot, so that the bot can write to them
    (the admin gets access requests before ever writing to the bot)."""
    for person in people:
        standin.user(person.user_id, first_name=person.first_name, language_code=language)


async def store_roles(store: Storage, language: str, people: Iterable[Person] = PEOPLE) -> None:
    """Store the people who have a role as if they had written to the bot before, so
    that the bot speaks their language from its first message (an access request reaches
    the admin before the admin ever wrote); roles other than admin are stored as given,
    the admin's comes from ADMIN_IDS."""
    for person in people:
        if person.role is None:
            continue
        await store.users.upsert_seen(person.user_id, person.first_name, None, language)
        if person.role is not Role.ADMIN:
            await store.users.set_role(person.user_id, person.role)


def open_team(standin: BotApiStandin, language: str, team: Group = TEAM) -> SimGroup:
    """The team's group with its members (their private chats must be open already)."""
    members = [standin.user(person.user_id) for person in team.members]
    return standin.group(team.chat_id, team.title(language), members)


async def add_the_bot(group: SimGroup, standin: BotApiStandin, by: Person = ADMIN) -> None:
    """The admin adds the bot to the group: the bot hears it once it polls, and stays."""
    await group.add_bot(by=standin.user(by.user_id))


class LiveRoles:
    """The people's roles as the bot has them now, for the chips on the page: an approval
    or a role taken away shows there. Bound to the bot's storage once the bot is open."""

    def __init__(self, people: Iterable[Person] = PEOPLE) -> None:
        self.people = tuple(people)
        self.store: Storage | None = None

    async def view(self) -> list[dict[str, Any]]:
        roles = []
        for person in self.people:
            role = person.role
            if self.store is not None and role is not Role.ADMIN:  # admins: ADMIN_IDS
                user = await self.store.users.get(person.user_id)
                role = user.role if user is not None else None
            roles.append({"user_id": person.user_id, "role": role.value if role else None})
        return roles
