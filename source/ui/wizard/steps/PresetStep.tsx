import {Box, Text} from 'ink';
import SelectInput from 'ink-select-input';
import {Pointer} from '../../components/Pointer.js';
import type {PresetListing} from '../../../core/presets.js';
import type {BuildRecord} from '../../../core/state.js';
import {tint} from '../../theme.js';

export type PresetChoice = {kind: 'resume'} | {kind: 'new'} | {kind: 'preset'; listing: PresetListing};

function describe(listing: PresetListing, last?: BuildRecord): string {
	if (listing.error) return `${listing.name}  ✖ cannot be used: ${listing.error}`;
	const region = listing.values?.get('region_name') ?? 'no region';
	const image = listing.values?.get('source_image_id')?.slice(0, 8) ?? 'no image';
	const used = last ? `last used ${last.startedAt.slice(0, 16).replace('T', ' ')} (${last.outcome ?? 'unfinished'})` : 'never built';
	return `${listing.name}  ${region}  image ${image}…  ${used}`;
}

/**
 * Start new, reuse the last preset, or pick a saved one; broken presets are listed with their
 * error. Come back to with answers given (`resume`), it offers them first: nothing is lost
 * until the operator picks something else.
 */
export function PresetStep({presets, lastPreset, history, onChoose, resume, isActive = true}: {presets: PresetListing[]; lastPreset?: string; history: BuildRecord[]; onChoose: (choice: PresetChoice) => void; resume?: string; isActive?: boolean}) {
	const last = presets.find(p => p.name === lastPreset && !p.error);
	const items = [
		...(resume ? [{key: 'resume', label: resume, value: 'resume'}] : []),
		...(last ? [{key: 'last', label: `Reuse the last one: ${describe(last, history.findLast(b => b.preset === last.name))}`, value: `preset:${last.name}`}] : []),
		{key: 'new', label: resume ? 'Start new (the answers so far are dropped)' : 'Start new', value: 'new'},
		...presets.map(p => ({key: p.name, label: describe(p, history.findLast(b => b.preset === p.name)), value: `preset:${p.name}`})),
	];
	return (
		<Box flexDirection="column">
			<Text>Which settings should this build use?</Text>
			<SelectInput
				indicatorComponent={Pointer}
				items={items}
				limit={12}
				isFocused={isActive}
				onSelect={item => {
					if (item.value === 'resume') return onChoose({kind: 'resume'});
					if (item.value === 'new') return onChoose({kind: 'new'});
					const listing = presets.find(p => `preset:${p.name}` === item.value)!;
					onChoose({kind: 'preset', listing});
				}}
			/>
			{presets.length === 0 && <Text dimColor>No presets saved in presets/ yet; you can save one at the review.</Text>}
			{presets.some(p => p.error) && <Text color={tint('yellow')}>Presets marked ✖ have errors: fix the file by hand (the wizard never rewrites it).</Text>}
		</Box>
	);
}
