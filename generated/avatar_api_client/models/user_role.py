from enum import StrEnum


class UserRole(StrEnum):
    ADMIN = "admin"
    USER = "user"
    admin = "admin"  # 0.7.x spelling (ImputeMethod.knn), an alias
    user = "user"  # 0.7.x spelling (ImputeMethod.knn), an alias

    def __str__(self) -> str:
        return str(self.value)
