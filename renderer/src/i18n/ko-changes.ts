import type { MessageSchema } from './en.ts';

/** Korean messages of the change preview; part of `ko.ts`. */
export const koChanges: Pick<MessageSchema, 'changePreview'> = {
  changePreview: {
    title: '변경될 내용',
    loading: '서버에 드라이 런을 요청하는 중…',
    failed: '미리보기를 만들지 못했습니다',
    refused: '이 변경은 거부됩니다:',
    nothing: '변경되는 내용이 없습니다.',
    dryRun: '서버 측 드라이 런: API 서버가 검증하고 승인했으며, 아무것도 저장되지 않았습니다.',
    recreate: '재생성 계획: 같은 설정으로 새 컨테이너를 만들어 교체합니다.',
    field: '필드',
    before: '변경 전',
    after: '변경 후',
    hidden: '숨김',
    added: '추가',
    removed: '삭제',
    changed: '변경',
    unchanged: '변경 없음',
    imageId: '이미지 ID',
    pulled: '적용할 때 받아옴',
    carriedOver: '그대로 가져가는 설정',
  },
};
