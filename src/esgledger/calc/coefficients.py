"""Per distinct (region, activity, year, unit…) key: how one unit of activity becomes results.

Resolution and unit checks happen here, once per key, in Python; the engine then multiplies
whole columns by the constants this module returns. Each constant carries the factor ids,
the unit multiplier and the rule that chose the factors.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import cache

from esgledger.calc.choices import chosen_rule
from esgledger.calc.library import FactorRecord
from esgledger.calc.options import Profile
from esgledger.calc.resolve import ANY, Region, Resolution, Resolver
from esgledger.catalog import activity_types
from esgledger.catalog import factors as shipped
from esgledger.errors import InvalidInput
from esgledger.units import compatible, multiplier, product_multiplier, volume_basis
from esgledger.units.volume import METERED, NORMAL

C_TO_CO2 = 44.0 / 12.0
COMBUSTION_GASES = ("CO2", "CH4", "N2O")
# Activities converted to energy with another carrier's coefficient.
ENERGY_CARRIER = {
    "electricity.onsite_solar": "electricity.purchased",
    "electricity.onsite_wind": "electricity.purchased",
    "steam.purchased": "heat.purchased",
}
PURCHASED_ELECTRICITY = "electricity.purchased"
COOLING = "cooling.purchased"
LOCATION_VARIANTS = ("average", "lifecycle_generation")
MARKET_VARIANTS = ("residual_mix", "average", "lifecycle_generation")
NO_COOLING_FACTOR = (
    "no cited factor for purchased cooling (no shipped open set has one); import the "
    "supplier's chiller COP as a workspace factor (fuel_parameter cop, `esg factors import`) "
    "to compute it as the electricity that made it, at the site's grid factor"
)


@dataclass(frozen=True, slots=True)
class Key:
    activity: str
    unit: str
    year: int
    regions: tuple[Region, ...]
    use: str = ""
    volume_basis: str = ""


@dataclass(frozen=True, slots=True)
class Coefficient:
    """``result = quantity × k`` in ``unit``; ``gwp`` turns a gas mass into tCO2e."""

    quantity: str
    gas: str
    k: float
    unit: str
    gwp: float | None
    factor_ids: tuple[str, ...]
    multiplier: float
    rule: str
    flags: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Issue:
    quantity: str
    reason: str


def needs(activity: str) -> tuple[str, ...]:
    """The result quantities an activity type must produce."""
    kind = activity_types()[activity]
    if kind.category == "fuel":
        return ("energy_direct", "scope1")
    if activity == "electricity.purchased":
        return ("energy_indirect", "scope2_location", "scope2_market")
    if kind.category == "electricity":
        return ("energy_indirect",)
    if kind.category == "heat":
        return ("energy_indirect", "scope2_location", "scope2_market")
    if kind.category == "refrigerant":
        return ("scope1",)
    return ()  # Scope 3 types are computed by calc.scope3


@dataclass(frozen=True, slots=True)
class Reading:
    """How a key's activity unit is read: as written, or its gas volume on another basis."""

    basis: str = ""  # "" as written; "normal" or "metered": the volume read on that basis
    flags: tuple[str, ...] = ()
    note: str = ""  # why, for the rule text


def _readings(key: Key, profile: Profile) -> list[Reading]:
    """The unit as written; then, for a gas volume, on the other basis if the rows say so
    (``volume_basis=normal``) or the profile assumes it, unless the rows say ``metered``."""
    out = [Reading()]
    given = volume_basis(key.unit)
    if given is None or key.volume_basis == METERED:
        return out
    if key.volume_basis == NORMAL and given == METERED:
        return [
            *out,
            Reading(NORMAL, ("metered_volume_read_as_normal",), "the rows say volume_basis=normal"),
        ]
    if profile.gas_volume == "metered_is_normal":
        other = NORMAL if given == METERED else METERED
        text = (
            "metered m3 read as the guideline's normal m3"
            if other == NORMAL
            else "normal m3 read as GB/T 2589's m3"
        )
        note = f"{text} (profile {profile.name}: {profile.gas_volume_assumption})"
        return [*out, Reading(other, (f"{given}_volume_read_as_{other}",), note)]
    return out


@cache
def _try_multiplier(
    unit: str, factor_units: tuple[str, ...], target: str, basis: str
) -> float | None:
    """``product_multiplier`` that remembers failures too (each costs pint work)."""
    try:
        return product_multiplier(unit, factor_units, target, basis)
    except InvalidInput:
        return None


def _convert(
    key: Key, profile: Profile, factor_units: list[str], targets: tuple[str, ...]
) -> tuple[float, Reading] | None:
    """The multiplier from activity unit × factor units to the first target that fits."""
    for reading in _readings(key, profile):
        for target in targets:
            found = _try_multiplier(key.unit, tuple(factor_units), target, reading.basis)
            if found is not None:
                return found, reading
    return None


def _with_note(rule: str, reading: Reading) -> str:
    return f"{rule}; volume basis: {reading.note}" if reading.note else rule


def _variants(use: str) -> tuple[str, ...]:
    """The factor variants a use accepts, most specific first: ``mobile_uncontrolled`` →
    itself, then ``mobile``, then none."""
    return tuple(dict.fromkeys([use, use.split("_")[0], ""])) if use else ("",)


class CoefficientBuilder:
    """Builds the coefficients of one run: one resolver, one profile, one GWP set."""

    def __init__(
        self,
        resolver: Resolver,
        profile: Profile,
        *,
        gwp_set: str,
        electricity_basis: str,
        chosen: dict[str, FactorRecord] | None = None,
    ):
        self.resolver = resolver
        self.chosen = chosen or {}
        self.profile = profile
        self.gwp_set = gwp_set
        self.electricity_basis = electricity_basis
        self.energy_chain = resolver.chain(profile.energy)
        self.combustion_chain = resolver.chain(profile.combustion)
        self.grid_chain = resolver.chain(profile.grid)

    def build(self, key: Key) -> list[Coefficient | Issue]:
        out: list[Coefficient | Issue] = []
        for quantity in needs(key.activity):
            if key.activity == COOLING:
                out.append(self._cooling(key, quantity))
            elif quantity.startswith("energy"):
                out.append(self._energy(key, quantity))
            elif quantity == "scope1" and activity_types()[key.activity].category == "refrigerant":
                out.extend(self._refrigerant(key))
            elif quantity == "scope1":
                out.extend(self._combustion(key))
            elif quantity == "scope2_location":
                out.extend(self._scope2(key, quantity, LOCATION_VARIANTS))
            elif quantity == "scope2_market":
                out.extend(self._scope2(key, quantity, MARKET_VARIANTS))
            else:
                out.append(self._scope3(key))
        return out

    # --- energy -------------------------------------------------------------------------

    def _energy(self, key: Key, quantity: str) -> Coefficient | Issue:
        carrier = ENERGY_CARRIER.get(key.activity, key.activity)
        electric = carrier == "electricity.purchased"
        variants = (self.electricity_basis,) if electric else ("", "equivalent_value")
        if carrier in self.chosen:
            record = self.chosen[carrier]
            chosen = Resolution(record, chosen_rule(record), ("energy_coefficient_chosen_for_run",))
            return self._single(key, quantity, "", chosen, "tce", gwp=None)
        # Standard-coal coefficients convert heat content, which does not depend on where the
        # fuel is burnt: a site abroad uses the same coefficient when no local one exists.
        found = self.resolver.resolve(
            kind="energy_coefficient",
            activity=carrier,
            parameter="coef",
            gas="",
            year=key.year,
            regions=(*key.regions, Region("any", ANY)),
            series=self.energy_chain,
            variants=variants,
        )
        if found is None:
            basis = f" ({self.electricity_basis})" if electric else ""
            return Issue(quantity, f"no standard-coal coefficient for {carrier}{basis}")
        converted = self._single(key, quantity, "", found, "tce", gwp=None)
        if isinstance(converted, Issue) and _is_fuel_by_heat_content(key):
            return self._by_heat_content(key, quantity) or converted
        return converted

    def _by_heat_content(self, key: Key, quantity: str) -> Coefficient | None:
        """A fuel recorded by its (net) heat content: GB/T 2589-2020 defines 1 kgce as
        29,307 kJ (LHV), the coefficient the standard gives for heat (0.03412 kgce/MJ); the
        fuel's own per-volume or per-mass coefficient does not apply to GJ."""
        found = self.resolver.resolve(
            kind="energy_coefficient",
            activity="heat.purchased",
            parameter="coef",
            gas="",
            year=key.year,
            regions=(*key.regions, Region("any", ANY)),
            series=self.energy_chain,
            variants=("", "equivalent_value"),
        )
        if found is None:
            return None
        by_heat = Resolution(
            found.factor,
            f"{found.rule}; {key.activity} in {key.unit} read as net heat content "
            "(1 kgce = 29,307 kJ LHV, GB/T 2589-2020)",
            (*found.flags, "fuel_by_heat_content"),
        )
        converted = self._single(key, quantity, "", by_heat, "tce", gwp=None)
        return converted if isinstance(converted, Coefficient) else None

    # --- scope 1 ------------------------------------------------------------------------

    def _gases(self) -> Sequence[str]:
        return self.profile.gases or COMBUSTION_GASES

    def _combustion(self, key: Key) -> list[Coefficient | Issue]:
        out: list[Coefficient | Issue] = []
        for gas in self._gases():
            found = self._combustion_gas(key, gas)
            if found is not None:
                out.append(found)
            elif gas == "CO2":
                out.append(Issue("scope1", f"no combustion factor for {key.activity} (CO2)"))
            else:
                missing = self._missing_gas(key, gas)
                if missing is not None:
                    out.append(missing)
        return out

    def _missing_gas(self, key: Key, gas: str) -> Issue | None:
        """A gas the chain has factors for, none of which fits these rows, is an issue: left
        out silently it would make Scope 1 short (issue #11). No factor at all: not one."""
        shipped_for = self.resolver.library.candidates("emission_factor", key.activity, "ef", gas)
        variants = sorted({v for (s, v, _) in shipped_for if s in self.combustion_chain})
        if not variants:
            return None
        base = key.use.split("_")[0]
        fitting = [v for v in variants if base and v.startswith(base + "_")]
        if fitting:
            how = "the shipped factors depend on the technology: give use= one of " + ", ".join(
                fitting
            )
        else:
            how = f"factors exist only for use {', '.join(v or '(none)' for v in variants)}"
        used = f" used as {key.use!r}" if key.use else ""
        return Issue("scope1", f"no {gas} factor for {key.activity}{used}; {how}")

    def _combustion_gas(self, key: Key, gas: str) -> Coefficient | Issue | None:
        """The first series in the chain that covers this fuel and gas, by the first method
        its parameters allow: a factor per activity unit; NCV × carbon content × oxidation ×
        44/12 (CO2); or NCV × a factor per unit of energy, the NCV from this series or else
        from the first series in the chain that has one (the guideline's NCV of Chinese gas
        with IPCC's CH4 per TJ)."""
        variants = _variants(key.use)
        first_ncv: Resolution | None = None
        for series in self.combustion_chain:

            def find(
                parameter: str, kind: str, param_gas: str, series: str = series
            ) -> Resolution | None:
                return self.resolver.resolve(
                    kind=kind,
                    activity=key.activity,
                    parameter=parameter,
                    gas=param_gas,
                    year=key.year,
                    regions=key.regions,
                    series=(series,),
                    variants=variants,
                )

            ef = find("ef", "emission_factor", gas)
            if ef and _convert(key, self.profile, [ef.factor.unit], ("t", "tCO2e")) is not None:
                return self._product(key, gas, [ef], 1.0)
            ncv = find("ncv", "fuel_parameter", "")
            if gas == "CO2" and ncv is not None:
                cc = find("carbon_content", "fuel_parameter", "CO2")
                ox = find("oxidation", "fuel_parameter", "CO2")
                if cc and ox:
                    return self._product(key, gas, [ncv, cc, ox], C_TO_CO2)
            first_ncv = first_ncv or ncv
            if ef and (ncv or first_ncv):
                return self._product(key, gas, [ncv or first_ncv, ef], 1.0)
        return None

    def _refrigerant(self, key: Key) -> list[Coefficient | Issue]:
        components = shipped.refrigerant_components(key.activity)
        if not components:
            return [Issue("scope1", f"no gas composition for {key.activity}")]
        out: list[Coefficient | Issue] = []
        for gas, fraction in components:
            converted = _convert(key, self.profile, [], ("t",))
            if converted is None:
                out.append(Issue("scope1", f"unit {key.unit!r} is not a mass"))
                continue
            mult = converted[0]
            try:
                gwp = shipped.gwp(gas, self.gwp_set)
            except KeyError as exc:
                out.append(Issue("scope1", f"{key.activity} {gas}: {exc}"))
                continue
            out.append(
                Coefficient(
                    quantity="scope1",
                    gas=gas,
                    k=fraction * mult,
                    unit="t",
                    gwp=gwp,
                    factor_ids=(f"gwp:{self.gwp_set}:{gas}",),
                    multiplier=mult,
                    rule=f"mass fraction {fraction:g} of {gas}; GWP {self.gwp_set}",
                )
            )
        return out

    # --- scope 2 and 3 ------------------------------------------------------------------

    def _scope2(
        self, key: Key, quantity: str, variants: tuple[str, ...]
    ) -> list[Coefficient | Issue]:
        """Electricity: one grid factor. Heat and steam: the supplier set's CO2e, or its CO2
        and, from the same edition, the CH4 and N2O it gives (EPA Table 7 lists three gases)."""
        first = self._grid(key, quantity, variants)
        if activity_types()[key.activity].category != "heat" or not isinstance(first, Coefficient):
            return [first]
        if first.gas != "CO2":
            return [first]
        edition = self.resolver.library.by_id[first.factor_ids[0]].edition
        out: list[Coefficient | Issue] = [first]
        for gas in self._gases():
            if gas == "CO2":
                continue
            found = self.resolver.resolve(
                kind="emission_factor",
                activity=key.activity,
                parameter="ef",
                gas=gas,
                year=key.year,
                regions=key.regions,
                series=self.grid_chain,
                variants=variants,
            )
            if found is None or found.factor.edition != edition:
                continue  # the supply set gives CO2 only (NDRC): nothing left out
            gwp = shipped.gwp(_combustion_gwp_gas(gas, self.gwp_set), self.gwp_set)
            out.append(self._single(key, quantity, gas, found, "t", gwp=gwp))
        return out

    def _cooling(self, key: Key, quantity: str) -> Coefficient | Issue:
        """Purchased cooling as the electricity that made it: cooling ÷ COP, at the site's
        electricity coefficient or grid factor. No open set gives a cooling factor or a COP,
        so the COP must come from a cited workspace edition (the supplier's statement)."""
        cop = self.resolver.resolve(
            kind="fuel_parameter",
            activity=COOLING,
            parameter="cop",
            gas="",
            year=key.year,
            regions=key.regions,
            series=self.resolver.chain(()),
        )
        if cop is None:
            return Issue(quantity, NO_COOLING_FACTOR)
        ratio = cop.factor.value * multiplier(cop.factor.unit, "dimensionless")
        if ratio <= 0:
            return Issue(quantity, f"COP {cop.factor.factor_id} is not positive")
        electricity = replace(key, activity=PURCHASED_ELECTRICITY, use="", volume_basis="")
        if quantity.startswith("energy"):
            base = self._energy(electricity, quantity)
        else:
            variants = LOCATION_VARIANTS if quantity == "scope2_location" else MARKET_VARIANTS
            base = self._grid(electricity, quantity, variants)
        if isinstance(base, Issue):
            return Issue(quantity, f"purchased cooling as electricity: {base.reason}")
        return replace(
            base,
            k=base.k / ratio,
            factor_ids=(cop.factor.factor_id, *base.factor_ids),
            rule=f"cooling ÷ COP {cop.factor.value:g} ({cop.rule}) as electricity; {base.rule}",
            flags=tuple(dict.fromkeys((*cop.flags, "cooling_as_electricity_at_cop", *base.flags))),
        )

    def _grid(self, key: Key, quantity: str, variants: tuple[str, ...]) -> Coefficient | Issue:
        regions = key.regions
        if self.profile.grid_level == "national":
            regions = tuple(r for r in regions if r.level in ("country", "global"))
        for gas in ("CO2", "CO2e"):
            found = self.resolver.resolve(
                kind="emission_factor",
                activity=key.activity,
                parameter="ef",
                gas=gas,
                year=key.year,
                regions=regions,
                series=self.grid_chain,
                variants=variants,
            )
            if found is not None:
                break
        else:
            return Issue(quantity, f"no grid emission factor for {key.activity} in {_where(key)}")
        flags: tuple[str, ...] = ()
        if quantity == "scope2_market" and found.factor.variant != "residual_mix":
            flags += ("residual_mix_unavailable_grid_average_used",)
        if found.factor.variant == "lifecycle_generation":
            flags += ("lifecycle_generation_factor",)
        return self._single(key, quantity, gas, found, "t", gwp=1.0, extra_flags=flags)

    def _scope3(self, key: Key) -> Coefficient | Issue:
        found = self.resolver.resolve(
            kind="emission_factor",
            activity=key.activity,
            parameter="ef",
            gas="CO2e",
            year=key.year,
            regions=key.regions,
            series=self.resolver.chain(()),
            variants=("",),
        )
        if found is None:
            return Issue(
                "scope3",
                f"no Scope 3 factor for {key.activity}; import one with `esg factors import`",
            )
        return self._single(key, "scope3", "CO2e", found, "t", gwp=1.0)

    # --- arithmetic ---------------------------------------------------------------------

    def _single(
        self,
        key: Key,
        quantity: str,
        gas: str,
        found: Resolution,
        target: str,
        *,
        gwp: float | None,
        extra_flags: tuple[str, ...] = (),
    ) -> Coefficient | Issue:
        targets = (target,) if target == "tce" else (target, "tCO2e")
        converted = _convert(key, self.profile, [found.factor.unit], targets)
        if converted is None:
            return Issue(quantity, _unit_reason(key, found.factor.unit))
        mult, reading = converted
        return Coefficient(
            quantity=quantity,
            gas=gas,
            k=found.factor.value * mult,
            unit="tce" if target == "tce" else "t",
            gwp=gwp,
            factor_ids=(found.factor.factor_id,),
            multiplier=mult,
            rule=_with_note(found.rule, reading),
            flags=found.flags + extra_flags + reading.flags,
        )

    def _product(
        self, key: Key, gas: str, parts: list[Resolution], constant: float
    ) -> Coefficient | Issue:
        converted = _convert(key, self.profile, [p.factor.unit for p in parts], ("t", "tCO2e"))
        if converted is None:
            return Issue("scope1", _unit_reason(key, " × ".join(p.factor.unit for p in parts)))
        mult, reading = converted
        value = constant
        for p in parts:
            value *= p.factor.value
        try:
            gwp = (
                1.0
                if gas == "CO2"
                else shipped.gwp(_combustion_gwp_gas(gas, self.gwp_set), self.gwp_set)
            )
        except KeyError:
            return Issue("scope1", f"no {self.gwp_set} GWP for {gas}")
        flags = tuple(f for p in parts for f in p.flags) + reading.flags
        rule = " + ".join(dict.fromkeys(p.rule for p in parts)) + (
            "; × 44/12" if constant != 1.0 else ""
        )
        rule = _with_note(rule, reading)
        return Coefficient(
            quantity="scope1",
            gas=gas,
            k=value * mult,
            unit="t",
            gwp=gwp,
            factor_ids=tuple(p.factor.factor_id for p in parts),
            multiplier=mult,
            rule=rule,
            flags=tuple(dict.fromkeys(flags)),
        )


def _is_fuel_by_heat_content(key: Key) -> bool:
    return activity_types()[key.activity].category == "fuel" and compatible(key.unit, "GJ")


def _combustion_gwp_gas(gas: str, gwp_set: str) -> str:
    """AR6 gives fossil methane its own GWP; combustion methane is fossil."""
    return "CH4-fossil" if gas == "CH4" and gwp_set == "AR6" else gas


def _unit_reason(key: Key, factor_unit: str) -> str:
    hint = ""
    given, wanted = volume_basis(key.unit), _factor_volume_basis(factor_unit)
    if given and wanted and given != wanted:
        if key.volume_basis == METERED:
            hint = f"; the rows say volume_basis=metered, so they are not read as {wanted} volume"
        else:
            hint = f"; if the meter reports {wanted} volume, add volume_basis={wanted} to the rows"
    elif given == METERED and "/t" in factor_unit.replace(" ", ""):
        hint = "; a volume needs a density: report the fuel in t or import a factor per volume"
    elif key.activity == "steam.purchased" and compatible(key.unit, "t"):
        hint = (
            "; steam by mass needs its heat content, which depends on its pressure and "
            "temperature: report the GJ the supplier's statement gives"
        )
    return f"unit {key.unit!r} does not fit factor unit {factor_unit!r}{hint}"


def _factor_volume_basis(factor_unit: str) -> str | None:
    """The volume basis a factor unit divides by (``GJ/(10^4 Nm3)`` → normal), if any."""
    for part in factor_unit.split("×"):
        denominator = part.partition("/")[2].strip().strip("()")
        if denominator:
            found = volume_basis(denominator)
            if found:
                return found
    return None


def _where(key: Key) -> str:
    return ", ".join(r.code for r in key.regions if r.level != "global") or "any region"
