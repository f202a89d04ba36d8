from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.base_avatarization_parameters import BaseAvatarizationParameters
    from ..models.base_avatarization_with_time_series_parameters import (
        BaseAvatarizationWithTimeSeriesParameters,
    )
    from ..models.table_link import TableLink


T = TypeVar("T", bound="AvatarizationMultiTableParameters")


@_attrs_define
class AvatarizationMultiTableParameters:
    """
    Attributes:
        table_links (list[TableLink]):
        table_parameters (list[BaseAvatarizationParameters | BaseAvatarizationWithTimeSeriesParameters]):
        seed (int | None | Unset):
    """

    table_links: list[TableLink]
    table_parameters: list[
        BaseAvatarizationParameters | BaseAvatarizationWithTimeSeriesParameters
    ]
    seed: int | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.base_avatarization_parameters import BaseAvatarizationParameters  # noqa: PLC0415

        table_links = []
        for table_links_item_data in self.table_links:
            table_links_item = table_links_item_data.to_dict()
            table_links.append(table_links_item)

        table_parameters = []
        for table_parameters_item_data in self.table_parameters:
            table_parameters_item: dict[str, Any]
            if isinstance(table_parameters_item_data, BaseAvatarizationParameters):
                table_parameters_item = table_parameters_item_data.to_dict()
            else:
                table_parameters_item = table_parameters_item_data.to_dict()

            table_parameters.append(table_parameters_item)

        seed: int | None | Unset
        if isinstance(self.seed, Unset):
            seed = UNSET
        else:
            seed = self.seed

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "table_links": table_links,
                "table_parameters": table_parameters,
            }
        )
        if seed is not UNSET:
            field_dict["seed"] = seed

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.base_avatarization_parameters import BaseAvatarizationParameters  # noqa: PLC0415
        from ..models.base_avatarization_with_time_series_parameters import (
            BaseAvatarizationWithTimeSeriesParameters,  # noqa: PLC0415
        )
        from ..models.table_link import TableLink  # noqa: PLC0415

        d = dict(src_dict)
        table_links = []
        _table_links = d.pop("table_links")
        for table_links_item_data in _table_links:
            table_links_item = TableLink.from_dict(table_links_item_data)

            table_links.append(table_links_item)

        table_parameters = []
        _table_parameters = d.pop("table_parameters")
        for table_parameters_item_data in _table_parameters:

            def _parse_table_parameters_item(
                data: object,
            ) -> (
                BaseAvatarizationParameters | BaseAvatarizationWithTimeSeriesParameters
            ):
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    table_parameters_item_type_0 = (
                        BaseAvatarizationParameters.from_dict(data)
                    )

                    return table_parameters_item_type_0
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                if not isinstance(data, dict):
                    raise TypeError()
                table_parameters_item_type_1 = (
                    BaseAvatarizationWithTimeSeriesParameters.from_dict(data)
                )

                return table_parameters_item_type_1

            table_parameters_item = _parse_table_parameters_item(
                table_parameters_item_data
            )

            table_parameters.append(table_parameters_item)

        def _parse_seed(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        seed = _parse_seed(d.pop("seed", UNSET))

        avatarization_multi_table_parameters = cls(
            table_links=table_links,
            table_parameters=table_parameters,
            seed=seed,
        )

        avatarization_multi_table_parameters.additional_properties = d
        return avatarization_multi_table_parameters

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
