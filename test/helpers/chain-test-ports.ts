/**
 * The chain's block tests ported with their literal numbers, per source file of the pallet's `tests/`, with the
 * number of live `#[test]` functions that file has at subtensor 14bc6f9f and which of our test files runs each.
 * The README states "N of M" per file (test/readme-claims.test.ts checks them against this list), and each test
 * file listed here checks that every name it is given titles one of its tests under that file's describe.
 */
export const CHAIN_TEST_PORTS: Record<string, { live: number; ported: Record<string, readonly string[]> }> = {
  'emission.rs': {
    live: 9,
    ported: {
      'chain-ports.test.ts': [
        'test_zero_tempo',
        'test_regular_case',
        'test_boundary_conditions',
        'test_overflow_handling',
        'test_epoch_alignment',
        'test_different_network_ids',
        'test_large_tempo_values',
        'test_consecutive_blocks',
        'test_wrap_around_behavior',
      ],
    },
  },
  'subnet_emissions.rs': {
    live: 6,
    ported: {
      'chain-ports.test.ts': [
        'inplace_pow_normalize_all_zero_inputs_no_panic_and_unchanged',
        'inplace_pow_normalize_tiny_values_no_panic',
        'inplace_pow_normalize_large_values_no_overflow_and_sum_to_one',
        'inplace_pow_normalize_regular_case_relative_proportions_preserved',
        'inplace_pow_normalize_fractional_exponent',
        'get_shares_ignores_root_prop_storage_when_prices_and_burns_match',
      ],
    },
  },
  'coinbase.rs': {
    live: 70,
    ported: {
      'chain-coinbase-networks.test.ts': [
        'test_coinbase_basecase',
        'test_coinbase_tao_issuance_base',
        'test_coinbase_disabled_subnet_emission_redistributes_tao_to_enabled_subnets',
        'test_sudo_set_subnet_emission_enabled_multiple_subnets_multiple_toggles',
        'test_coinbase_tao_issuance_different_prices',
        'test_coinbase_alpha_issuance_with_cap_trigger_and_block_emission',
        'test_owner_cut_base',
        'test_pending_emission',
        'test_drain_base',
        'test_drain_base_with_subnet',
        'test_drain_base_with_subnet_with_single_staker_not_registered',
        'test_drain_base_with_subnet_with_single_staker_registered',
        'test_drain_base_with_subnet_with_single_staker_registered_root_weight',
        'test_drain_base_with_subnet_with_two_stakers_registered',
        'test_drain_base_with_subnet_with_two_stakers_registered_and_root',
        'test_drain_base_with_subnet_with_two_stakers_registered_and_root_different_amounts',
        'test_drain_base_with_subnet_with_two_stakers_registered_and_root_different_amounts_half_tao_weight',
        'test_drain_alpha_childkey_parentkey',
        'test_get_root_children',
        'test_get_root_children_drain',
        'test_get_root_children_drain_half_proportion',
        'test_get_root_children_drain_with_take',
        'test_get_root_children_drain_with_half_take',
        'test_incentive_to_subnet_owner_is_burned',
        'test_incentive_to_subnet_owners_hotkey_is_burned',
        'test_burn_key_sorting',
        'test_distribute_emission_no_miners_all_drained',
        'test_distribute_emission_zero_emission',
        'test_run_coinbase_not_started',
        'test_drain_alpha_childkey_parentkey_with_burn',
        'test_incentive_is_autostaked_to_owner_destination',
        'test_incentive_goes_to_hotkey_when_no_autostake_destination',
        'test_zero_shares_zero_emission',
        'test_mining_emission_distribution_with_no_root_sell',
        'test_mining_emission_distribution_with_root_sell',
        'test_coinbase_subnets_with_no_reg_get_no_emission',
        'test_coinbase_emit_to_subnets_with_no_root_sell',
        'test_coinbase_emit_to_subnets_with_root_sell',
        'test_disabling_owner_cut_sends_subnet_emission_to_miners_and_validators',
        'test_pending_emission_start_call_not_done',
        'test_root_prop_filled_on_block_step',
      ],
      'chain-ports.test.ts': [
        'test_coinbase_tao_issuance_base_low',
        'test_coinbase_tao_issuance_multiple',
        'test_coinbase_moving_prices',
        'test_update_moving_price_initial',
        'test_update_moving_price_after_time',
        'test_coinbase_alpha_issuance_base',
        'test_coinbase_alpha_issuance_different',
        'test_coinbase_alpha_issuance_with_cap_trigger',
        'test_calculate_dividend_distribution_totals',
        'test_calculate_dividend_distribution_total_only_tao',
        'test_calculate_dividend_distribution_total_no_tao_weight',
        'test_calculate_dividend_distribution_total_only_alpha',
        'test_calculate_dividend_and_incentive_distribution',
        'test_calculate_dividend_and_incentive_distribution_all_to_validators',
        'test_calculate_dividends_and_incentives',
        'test_calculate_dividends_and_incentives_only_validators',
        'test_calculate_dividends_and_incentives_only_miners',
        'test_coinbase_subnet_terms_with_alpha_in_gt_alpha_emission',
        'test_coinbase_subnet_terms_with_alpha_in_lte_alpha_emission',
        'test_coinbase_inject_and_maybe_swap_does_not_skew_reserves',
        'test_coinbase_drain_pending_increments_blockssincelaststep',
        'test_coinbase_drain_pending_resets_blockssincelaststep',
        'test_coinbase_drain_pending_gets_counters_and_resets_them',
        'test_root_proportion',
        'test_get_subnet_terms_alpha_emissions_cap',
        'test_epochs_deferred_this_block_respects_cap',
      ],
    },
  },
  'children.rs': {
    live: 71,
    ported: {
      'chain-children.test.ts': [
        'test_get_stake_for_hotkey_on_subnet',
        'test_children_stake_values',
        'test_get_stake_for_hotkey_on_subnet_basic',
        'test_get_stake_for_hotkey_on_subnet_multiple_coldkeys',
        'test_get_stake_for_hotkey_on_subnet_single_parent_child',
        'test_get_stake_for_hotkey_on_subnet_multiple_parents_single_child',
        'test_get_stake_for_hotkey_on_subnet_single_parent_multiple_children',
        'test_get_stake_for_hotkey_on_subnet_edge_cases',
        'test_get_stake_for_hotkey_on_subnet_complex_hierarchy',
        'test_get_stake_for_hotkey_on_subnet_multiple_networks',
        'test_childkey_take_drain',
        'test_parent_child_chain_emission',
        'test_parent_child_chain_epoch',
        'test_dividend_distribution_with_children',
        'test_dividend_distribution_with_children_same_coldkey_owner',
      ],
    },
  },
  'claim_root.rs': {
    live: 26,
    ported: {
      'chain-claim-root.test.ts': [
        'test_claim_root_set_claim_type',
        'test_claim_root_with_drain_emissions',
        'test_claim_root_adding_stake_proportionally_for_two_stakers',
        'test_claim_root_adding_stake_disproportionally_for_two_stakers',
        'test_claim_root_with_changed_stake',
        'test_claim_root_with_drain_emissions_and_swap_claim_type',
        'test_claim_root_with_run_coinbase',
        'test_claim_root_block_hash_indices',
        'test_claim_root_coinbase_distribution',
        'test_claim_root_threshold',
        'test_claim_root_subnet_limits',
        'test_claim_root_with_unrelated_subnets',
        'test_claim_root_fill_root_alpha_dividends_per_subnet',
        'test_claim_root_with_keep_subnets',
        'test_claim_root_keep_subnets_swap_claim_type',
        'test_claim_root_default_mode_keep',
      ],
    },
  },
};

/** Every test title under a suite, with its suites' names before it (`describe > … > it`). */
export function titlesUnder(task: { name: string; tasks?: unknown[] }, prefix = ''): string[] {
  const here = prefix ? `${prefix} > ${task.name}` : task.name;
  if (!task.tasks) return [here];
  return (task.tasks as Array<{ name: string; tasks?: unknown[] }>).flatMap((t) => titlesUnder(t, here));
}

/** The names listed for `testFile` under `rsFile` that title none of `titles` under a `tests/<rsFile>` describe. */
export function unportedIn(titles: readonly string[], testFile: string): string[] {
  const missing: string[] = [];
  for (const [rs, { ported }] of Object.entries(CHAIN_TEST_PORTS)) {
    for (const name of ported[testFile] ?? []) {
      const word = new RegExp(`(?<![a-z0-9_])${name}(?![a-z0-9_])`);
      if (!titles.some((t) => t.includes(`tests/${rs}`) && word.test(t))) missing.push(`${rs}: ${name}`);
    }
  }
  return missing;
}
