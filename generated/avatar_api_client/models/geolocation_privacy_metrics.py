from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="GeolocationPrivacyMetrics")


@_attrs_define
class GeolocationPrivacyMetrics:
    """
    Attributes:
        hidden_rate (float):
        local_cloaking (float):
        closest_distances_ratio (float | None | Unset):
        closest_rate (float | None | Unset):
        distance_to_closest (float | None | Unset):
        features_correlation_protection_rate (float | None | Unset):
        features_inference_rate (float | None | Unset):
        inference_distances (list[float] | None | Unset):
        specific_hidden_rate (float | None | Unset):
        thresholded_signal_inference_rate (float | None | Unset):
        trace_correlation_protection_rate (float | None | Unset):
    """

    hidden_rate: float
    local_cloaking: float
    closest_distances_ratio: float | None | Unset = UNSET
    closest_rate: float | None | Unset = UNSET
    distance_to_closest: float | None | Unset = UNSET
    features_correlation_protection_rate: float | None | Unset = UNSET
    features_inference_rate: float | None | Unset = UNSET
    inference_distances: list[float] | None | Unset = UNSET
    specific_hidden_rate: float | None | Unset = UNSET
    thresholded_signal_inference_rate: float | None | Unset = UNSET
    trace_correlation_protection_rate: float | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        hidden_rate = self.hidden_rate

        local_cloaking = self.local_cloaking

        closest_distances_ratio: float | None | Unset
        if isinstance(self.closest_distances_ratio, Unset):
            closest_distances_ratio = UNSET
        else:
            closest_distances_ratio = self.closest_distances_ratio

        closest_rate: float | None | Unset
        if isinstance(self.closest_rate, Unset):
            closest_rate = UNSET
        else:
            closest_rate = self.closest_rate

        distance_to_closest: float | None | Unset
        if isinstance(self.distance_to_closest, Unset):
            distance_to_closest = UNSET
        else:
            distance_to_closest = self.distance_to_closest

        features_correlation_protection_rate: float | None | Unset
        if isinstance(self.features_correlation_protection_rate, Unset):
            features_correlation_protection_rate = UNSET
        else:
            features_correlation_protection_rate = (
                self.features_correlation_protection_rate
            )

        features_inference_rate: float | None | Unset
        if isinstance(self.features_inference_rate, Unset):
            features_inference_rate = UNSET
        else:
            features_inference_rate = self.features_inference_rate

        inference_distances: list[float] | None | Unset
        if isinstance(self.inference_distances, Unset):
            inference_distances = UNSET
        elif isinstance(self.inference_distances, list):
            inference_distances = self.inference_distances

        else:
            inference_distances = self.inference_distances

        specific_hidden_rate: float | None | Unset
        if isinstance(self.specific_hidden_rate, Unset):
            specific_hidden_rate = UNSET
        else:
            specific_hidden_rate = self.specific_hidden_rate

        thresholded_signal_inference_rate: float | None | Unset
        if isinstance(self.thresholded_signal_inference_rate, Unset):
            thresholded_signal_inference_rate = UNSET
        else:
            thresholded_signal_inference_rate = self.thresholded_signal_inference_rate

        trace_correlation_protection_rate: float | None | Unset
        if isinstance(self.trace_correlation_protection_rate, Unset):
            trace_correlation_protection_rate = UNSET
        else:
            trace_correlation_protection_rate = self.trace_correlation_protection_rate

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "hidden_rate": hidden_rate,
                "local_cloaking": local_cloaking,
            }
        )
        if closest_distances_ratio is not UNSET:
            field_dict["closest_distances_ratio"] = closest_distances_ratio
        if closest_rate is not UNSET:
            field_dict["closest_rate"] = closest_rate
        if distance_to_closest is not UNSET:
            field_dict["distance_to_closest"] = distance_to_closest
        if features_correlation_protection_rate is not UNSET:
            field_dict["features_correlation_protection_rate"] = (
                features_correlation_protection_rate
            )
        if features_inference_rate is not UNSET:
            field_dict["features_inference_rate"] = features_inference_rate
        if inference_distances is not UNSET:
            field_dict["inference_distances"] = inference_distances
        if specific_hidden_rate is not UNSET:
            field_dict["specific_hidden_rate"] = specific_hidden_rate
        if thresholded_signal_inference_rate is not UNSET:
            field_dict["thresholded_signal_inference_rate"] = (
                thresholded_signal_inference_rate
            )
        if trace_correlation_protection_rate is not UNSET:
            field_dict["trace_correlation_protection_rate"] = (
                trace_correlation_protection_rate
            )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        hidden_rate = d.pop("hidden_rate")

        local_cloaking = d.pop("local_cloaking")

        def _parse_closest_distances_ratio(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        closest_distances_ratio = _parse_closest_distances_ratio(
            d.pop("closest_distances_ratio", UNSET)
        )

        def _parse_closest_rate(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        closest_rate = _parse_closest_rate(d.pop("closest_rate", UNSET))

        def _parse_distance_to_closest(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        distance_to_closest = _parse_distance_to_closest(
            d.pop("distance_to_closest", UNSET)
        )

        def _parse_features_correlation_protection_rate(
            data: object,
        ) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        features_correlation_protection_rate = (
            _parse_features_correlation_protection_rate(
                d.pop("features_correlation_protection_rate", UNSET)
            )
        )

        def _parse_features_inference_rate(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        features_inference_rate = _parse_features_inference_rate(
            d.pop("features_inference_rate", UNSET)
        )

        def _parse_inference_distances(data: object) -> list[float] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                inference_distances_type_0 = cast(list[float], data)

                return inference_distances_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[float] | None | Unset, data)

        inference_distances = _parse_inference_distances(
            d.pop("inference_distances", UNSET)
        )

        def _parse_specific_hidden_rate(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        specific_hidden_rate = _parse_specific_hidden_rate(
            d.pop("specific_hidden_rate", UNSET)
        )

        def _parse_thresholded_signal_inference_rate(
            data: object,
        ) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        thresholded_signal_inference_rate = _parse_thresholded_signal_inference_rate(
            d.pop("thresholded_signal_inference_rate", UNSET)
        )

        def _parse_trace_correlation_protection_rate(
            data: object,
        ) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        trace_correlation_protection_rate = _parse_trace_correlation_protection_rate(
            d.pop("trace_correlation_protection_rate", UNSET)
        )

        geolocation_privacy_metrics = cls(
            hidden_rate=hidden_rate,
            local_cloaking=local_cloaking,
            closest_distances_ratio=closest_distances_ratio,
            closest_rate=closest_rate,
            distance_to_closest=distance_to_closest,
            features_correlation_protection_rate=features_correlation_protection_rate,
            features_inference_rate=features_inference_rate,
            inference_distances=inference_distances,
            specific_hidden_rate=specific_hidden_rate,
            thresholded_signal_inference_rate=thresholded_signal_inference_rate,
            trace_correlation_protection_rate=trace_correlation_protection_rate,
        )

        geolocation_privacy_metrics.additional_properties = d
        return geolocation_privacy_metrics

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
